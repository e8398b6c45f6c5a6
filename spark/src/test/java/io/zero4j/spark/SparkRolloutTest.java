package io.zero4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.rewards.Budget;
import io.zero4j.rewards.RewardFunction;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Score;
import io.zero4j.rollout.Completion;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.loop.ScoredGroup;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.RolloutBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark backend on real Spark: {@code local[2]} (executor threads in this JVM) and
 * {@code local-cluster[2,1,1024]} (a master and two workers in this JVM, each launching an executor
 * JVM), against the in-process backend on the same seeds.
 */
class SparkRolloutTest {
    static final String CLUSTER = "local-cluster[2,1,1024]";

    @TempDir
    static Path dir;
    static ToyRun toy;

    @BeforeAll
    static void setUp() throws IOException {
        // local-cluster workers look for SPARK_HOME/jars (the pom points SPARK_HOME here); the executors
        // take this JVM's classpath, so the folder can stay empty
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        toy = ToyRun.create(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local[2]", CLUSTER})
    void onPolicySparkSamplesWhatTheLocalBackendSamples(String master) {
        assertSameAsLocal(toy.config(), master);
    }

    /**
     * A LoRA run publishes only its adapters (on the base they name): were they lost on the way, the
     * executors would sample the bare base from step 2 on and the log-probabilities would differ.
     */
    @Test
    void aLoraRunsAdaptersReachTheExecutors() {
        int loadsBefore = ExecutorPolicy.loads();
        assertSameAsLocal(toy.config("model.lora.r=4", "model.lora.alpha=8"), "local[2]");
        assertEquals(3, ExecutorPolicy.loads() - loadsBefore, "local[2] runs its tasks in this JVM: one load per version");
    }

    private static void assertSameAsLocal(RunConfig config, String master) {
        List<GrpoLoop.Step> local;
        try (Policy policy = toy.learner(config)) {
            local = toy.train(config, policy, null);
        }
        List<GrpoLoop.Step> spark;
        try (Policy policy = toy.learner(config); SparkRolloutBackend backend = toy.spark(config, master, null)) {
            spark = toy.train(config, policy, backend);
            assertEquals(master.equals(CLUSTER) ? 2 : 1, spark.get(0).metrics().get("rollout/executors"));
        }
        for (int s = 0; s < local.size(); s++) {
            List<Completion> a = local.get(s).batch().rollouts().completions();
            List<Completion> b = spark.get(s).batch().rollouts().completions();
            assertEquals(a.size(), b.size());
            for (int r = 0; r < a.size(); r++) {
                assertArrayEquals(a.get(r).tokenIds(), b.get(r).tokenIds(), "step " + (s + 1) + " row " + r);
                assertArrayEquals(a.get(r).logProbs(), b.get(r).logProbs(), 1e-4f, "step " + (s + 1) + " row " + r);
            }
            assertArrayEquals(local.get(s).batch().totals(), spark.get(s).batch().totals(), "rewards of step " + (s + 1));
            Map<String, Double> m = spark.get(s).metrics();
            assertEquals(s, m.get("rollout/policy_version"), m.toString());
            assertEquals(0, m.get("rollout/staleness"), m.toString());
            assertEquals(local.get(s).metrics().get("loss"), m.get("loss"), 1e-5, "the same batch trains the same way");
        }
        double spread = local.stream().mapToDouble(st -> st.metrics().get("reward_std")).max().orElse(0);
        assertTrue(spread > 0, "the rewards differ within groups, so the weights change between versions");
    }

    @Test
    void oneStepOffPolicyTrainsOnBatchesExactlyOneVersionOld() {
        RunConfig config = toy.config("rollout.backend=spark", "rollout.max_off_policy_steps=1", "run.steps=4");
        try (Policy policy = toy.learner(config); SparkRolloutBackend backend = toy.spark(config, CLUSTER, null)) {
            List<GrpoLoop.Step> steps = toy.train(config, policy, backend);
            for (int s = 0; s < steps.size(); s++) {
                Map<String, Double> m = steps.get(s).metrics();
                int staleness = s == 0 ? 0 : 1; // the first batch is sampled before any update
                assertEquals(staleness, m.get("rollout/staleness"), "step " + (s + 1) + ": " + m);
                assertEquals(s - staleness, m.get("rollout/policy_version"), "step " + (s + 1) + ": " + m);
                assertTrue(m.get("mismatch/is_weight_mean") > 0 && m.get("mismatch/is_weight_max") >= 1e-6
                        && Double.isFinite(m.get("mismatch/kl")) && m.get("mismatch/kl") >= 0, m.toString());
                assertEquals(16, steps.get(s).batch().rows(), "4 complete groups of 4");
            }
            double stale = steps.get(steps.size() - 1).metrics().get("mismatch/kl");
            double fresh = steps.get(0).metrics().get("mismatch/kl");
            assertTrue(stale > fresh, "a batch one version old differs more from the learner than a fresh one: "
                    + fresh + " -> " + stale);
        }
    }

    @Test
    void anExecutorKilledMidBatchIsReplacedAndEveryGroupArrivesOnce() throws Exception {
        RunConfig config = toy.config("rollout.backend=spark", "run.steps=3");
        try (Policy policy = toy.learner(config); SparkRolloutBackend backend = toy.spark(config, CLUSTER, null)) {
            AtomicInteger removed = new AtomicInteger();
            AtomicInteger lostTasks = new AtomicInteger();
            AtomicReference<String> killed = new AtomicReference<>();
            CountDownLatch secondJob = new CountDownLatch(1);
            backend.context().sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskStart(SparkListenerTaskStart start) {
                    if (start.stageId() >= 1 && killed.compareAndSet(null, start.taskInfo().executorId())) {
                        secondJob.countDown();
                    }
                }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (end.reason() instanceof ExecutorLostFailure) {
                        lostTasks.incrementAndGet();
                    }
                }

                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                    removed.incrementAndGet();
                }
            });
            Thread killer = new Thread(() -> {
                try {
                    secondJob.await();
                    Optional<ProcessHandle> executor = ProcessHandle.current().descendants()
                            .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend")
                                    && commandLine(p).contains(" --executor-id " + killed.get() + " "))
                            .findFirst();
                    System.out.println("killing executor " + killed.get() + ": " + executor.map(ProcessHandle::pid));
                    executor.ifPresent(ProcessHandle::destroyForcibly);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            killer.start();
            List<GrpoLoop.Step> steps = toy.train(config, policy, backend);
            killer.join();
            assertTrue(removed.get() >= 1 && lostTasks.get() >= 1, "executor " + killed.get() + " was killed while it sampled"
                    + " step 2's groups: " + removed + " executors removed, " + lostTasks + " tasks lost with it");
            for (GrpoLoop.Step s : steps) {
                assertEquals(16, s.batch().rows(), "every step holds its 4 groups of 4, each once");
                assertEquals(4, s.batch().problems().stream().distinct().count());
            }
        }
    }

    /** A process's whole command line (ProcessHandle's is cut short on Linux). */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aRewardThatThrowsOnAnExecutorScoresZeroAndIsCounted() {
        RunConfig config = toy.config("rollout.backend=spark", "run.steps=1");
        try (Policy policy = toy.learner(config);
             SparkRolloutBackend backend = toy.spark(config, "local[2]", new ThrowingRewards(config.toJson().toString()))) {
            GrpoLoop.Step step = toy.train(config, policy, backend).get(0);
            assertEquals(16, step.metrics().get("rewards/errors"), step.metrics().toString());
            assertTrue(java.util.Arrays.stream(step.batch().rewardColumns().get("throws")).allMatch(v -> v == 0));
            assertTrue(java.util.Arrays.stream(step.batch().rewardColumns().get("overlong")).anyMatch(v -> v != 0),
                    "the other reward still scores");
        }
    }

    /** The run's rewards plus one that always throws. */
    record ThrowingRewards(String configJson) implements RewardSource { // configJson: a distinct source per run
        @Override
        public RewardSet create() {
            RewardFunction throwing = new RewardFunction() {
                public String name() {
                    return "throws";
                }

                public Score score(Sample s, Budget b) {
                    throw new IllegalStateException("a broken reward");
                }
            };
            RewardSet.Weighted own = new RewardSet.Weighted(io.zero4j.rewards.RewardKind.OVERLONG.create(
                    Map.of("max_length", "8", "overlong_cache", "6")), 1.0);
            return new RewardSet(List.of(new RewardSet.Weighted(throwing, 1.0), own), RewardSet.DEFAULT_TIMEOUT_MILLIS);
        }
    }

    @Test
    void theLearnerRejectsMissingDuplicatedAndOtherVersionGroups() {
        ScoredGroup g0 = group(0, 3);
        ScoredGroup g1 = group(1, 3);
        assertEquals(2, SparkRolloutBackend.gather(List.of(new RolloutBackend.Sampled(List.of(g1, g0), 5)), 2, 3)
                .groups().size());
        assertThrows(IllegalStateException.class, () -> SparkRolloutBackend.gather(
                List.of(new RolloutBackend.Sampled(List.of(g0), 0)), 2, 3), "a group missing");
        assertThrows(IllegalStateException.class, () -> SparkRolloutBackend.gather(
                List.of(new RolloutBackend.Sampled(List.of(g0, g0, g1), 0)), 3, 3), "a group twice");
        IllegalStateException other = assertThrows(IllegalStateException.class, () -> SparkRolloutBackend.gather(
                List.of(new RolloutBackend.Sampled(List.of(g0, group(1, 2)), 0)), 2, 3));
        assertTrue(other.getMessage().contains("policy version 2"), other.getMessage());
    }

    private static ScoredGroup group(int index, int version) {
        return new ScoredGroup(index, null, new int[] {1}, List.of(), new double[0], Map.of(), version, 0, 0);
    }
}
