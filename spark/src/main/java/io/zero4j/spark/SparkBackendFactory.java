package io.zero4j.spark;

import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.rollouts.RolloutBackend;
import io.zero4j.trainer.rollouts.RolloutBackends;
import java.nio.file.Path;

/** Registers {@code rollout.backend: spark} with the trainer (a {@link java.util.ServiceLoader} service). */
public final class SparkBackendFactory implements RolloutBackends.Factory {
    @Override
    public RunConfig.Rollout.Backend backend() {
        return RunConfig.Rollout.Backend.SPARK;
    }

    @Override
    public RolloutBackend open(RunConfig config, String configSource, Path modelDir, Path runDir) {
        return SparkRolloutBackend.of(config, modelDir, runDir);
    }
}
