package io.zero4j.trainer.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.model.UserInputException;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer runs without Spark (its own classpath has none), asks for the spark backend with one
 * clear line when the module is missing, and checks the rollout keys it cannot honour.
 */
class RolloutBackendsTest {
    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path data = dir.resolve("train.jsonl");
        Files.writeString(data, "{\"question\":\"1+1?\",\"answer\":\"2\"}\n");
        Path p = dir.resolve("c.json");
        Files.writeString(p, "{\"model\":{\"path\":\"" + dir + "\"},\"dataset\":{\"path\":\"" + data + "\"}}");
        return p;
    }

    private String error(String... overrides) throws IOException {
        Path p = config();
        UserInputException e = assertThrows(UserInputException.class, () -> RunConfigLoader.load(p, List.of(overrides)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void theTrainerHasNoSparkAndSaysWhereTheSparkBackendLives() throws IOException {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.SparkContext"),
                "the trainer's classpath holds no Spark: the local backend never needs it");
        RunConfig c = RunConfigLoader.load(config(), List.of("rollout.backend=spark"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> RolloutBackends.open(c, "c.json", null, c.rewardSet(), dir, dir));
        assertTrue(e.getMessage().contains("key 'rollout.backend'") && e.getMessage().contains("zero4j-spark"), e.getMessage());
        assertEquals(RunConfig.Rollout.Backend.LOCAL, RunConfigLoader.load(config(), List.of()).rollout().backend(),
                "local is the default");
    }

    @Test
    void rolloutKeysThatCannotBeHonouredAreOneLine() throws IOException {
        assertTrue(error("rollout.max_off_policy_steps=1").contains("needs rollout.backend spark"));
        assertTrue(error("rollout.max_off_policy_steps=2", "rollout.backend=spark").contains("must be 0 (on-policy) or 1"));
        assertTrue(error("rollout.max_off_policy_steps=1", "rollout.backend=spark", "algorithm.dynamic_sampling=true")
                .contains("dynamic_sampling"));
        assertTrue(error("rollout.backend=ray").contains("'ray' is not one of [local, spark]"));
        assertTrue(error("rollout.correction.cap=0.5").contains("key 'rollout.correction.cap'"));
        assertTrue(error("rollout.correction.level=geometric").contains("[none, token, sequence]"));
        assertTrue(error("rollout.correction.mask_low=1.5", "rollout.correction.mask_high=3").contains("must hold 1"));
        assertTrue(error("rollout.correction.old_logp=behavior").contains("set rollout.correction.level none"));
        assertTrue(error("rollout.correction.old_logp=sampler").contains("[learner, behavior]"));
        assertTrue(error("rollout.spark.executors=0").contains("key 'rollout.spark.executors'"));
        assertTrue(error("rollout.spark.executor_memory=lots").contains("a JVM size such as 2g"));
    }
}
