package io.zero4j.spark;

import io.zero4j.model.Devices;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.GroupScoring;
import io.zero4j.trainer.rollouts.GroupTask;
import io.zero4j.trainer.rollouts.RolloutBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The policy an executor JVM holds: loaded once, kept across tasks, and reloaded only when a task
 * asks for another version. Tasks of one JVM (a {@code local[N]} master runs N at once) take turns
 * with it, since an engine's sampler is not shared between threads.
 */
final class ExecutorPolicy {
    /** The version file a published folder holds; {@link SparkRolloutBackend} writes it. */
    static final String VERSION_FILE = "zero4j-policy-version";

    private static Policy policy;
    private static int version = -1;
    private static RewardSource rewardSource;
    private static RewardSet rewards;
    private static int loads;

    private ExecutorPolicy() {
    }

    /** The groups of one partition, sampled from the job's version, stamped with the version that sampled them. */
    static synchronized RolloutBackend.Sampled sample(RolloutJob job, List<GroupTask> tasks) {
        if (policy == null || version != job.version()) {
            load(job);
        }
        if (rewards == null || !job.rewards().equals(rewardSource)) {
            rewards = job.rewards().create();
            rewardSource = job.rewards();
        }
        return GroupScoring.sampleAndScore(policy.engine(), rewards, tasks, job.generations(), job.params(), version);
    }

    /** How many times this JVM has loaded weights (tests read it). */
    static synchronized int loads() {
        return loads;
    }

    private static void load(RolloutJob job) {
        Path dir = Path.of(job.weightsDir());
        int found = readVersion(dir);
        if (policy != null) {
            policy.close();
            policy = null;
        }
        policy = Policy.load(dir, Path.of(job.tokenizerDir()), Devices.host());
        version = found; // the folder's own stamp: a mismatch with the job's shows on the learner
        loads++;
    }

    private static int readVersion(Path dir) {
        try {
            return Integer.parseInt(Files.readString(dir.resolve(VERSION_FILE)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": no published policy version here (is rollout.spark.weights_dir"
                    + " a folder every node reads?)", e);
        }
    }
}
