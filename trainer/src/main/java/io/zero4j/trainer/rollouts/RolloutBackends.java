package io.zero4j.trainer.rollouts;

import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.policy.Policy;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** Opens the backend a run config names; a backend other than {@code local} is found as a {@link Factory} service. */
public final class RolloutBackends {
    private RolloutBackends() {
    }

    /** A backend that lives in another module (zero4j-spark), found through {@link ServiceLoader}. */
    public interface Factory {
        RunConfig.Rollout.Backend backend();

        /**
         * @param configSource where the config came from, for messages
         * @param modelDir     the model the run started from (its tokenizer, and a LoRA run's base)
         * @param runDir       the run's folder
         */
        RolloutBackend open(RunConfig config, String configSource, Path modelDir, Path runDir);
    }

    public static RolloutBackend open(RunConfig config, String configSource, Policy policy, RewardSet rewards, Path modelDir,
                                      Path runDir) {
        RunConfig.Rollout.Backend wanted = config.rollout().backend();
        if (wanted == RunConfig.Rollout.Backend.LOCAL) {
            return new LocalRolloutBackend(policy.engine(), rewards);
        }
        for (Factory f : ServiceLoader.load(Factory.class)) {
            if (f.backend() == wanted) {
                return f.open(config, configSource, modelDir, runDir);
            }
        }
        throw new UserInputException(configSource + ": key 'rollout.backend': '" + wanted.name().toLowerCase()
                + "' needs the zero4j-spark module on the classpath (./zero4j has it; with Maven, depend on"
                + " io.zero4j:zero4j-spark)");
    }
}
