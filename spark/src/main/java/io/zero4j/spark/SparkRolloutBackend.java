package io.zero4j.spark;

import io.zero4j.model.CausalLM;
import io.zero4j.model.UserInputException;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.checkpoint.AtomicFolder;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.loop.ScoredGroup;
import io.zero4j.trainer.rollouts.GroupTask;
import io.zero4j.trainer.rollouts.RolloutBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code rollout.backend: spark}: each submission is one Spark job whose tasks are consecutive
 * slices of the step's groups (a group of G is never split, so a retried task redoes whole groups
 * and, with the same seeds, draws the same completions). Executors sample with {@link ExecutorPolicy}
 * and score with the run's rewards; the learner gets back token ids, sampling log-probabilities,
 * reward columns and the version that sampled each group, and rejects a batch that is incomplete,
 * duplicated, or from another version than it asked for.
 *
 * <p>Weights travel as files: {@link #publish} writes version n to {@code weights_dir/v-00000n}
 * (atomically, with a version stamp), every executor reads it once, and versions older than the
 * previous one are deleted (a batch sampled ahead still reads the previous one).
 */
public final class SparkRolloutBackend implements RolloutBackend {
    private final JavaSparkContext spark;
    private final Path weightsDir;
    private final Path modelDir;
    private final RewardSource rewards;
    private final int slicesWanted;
    private final ExecutorService waiter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "zero4j-spark-rollouts");
        t.setDaemon(true);
        return t;
    });
    private int publishedVersion = -1;

    SparkRolloutBackend(SparkConf conf, Path weightsDir, Path modelDir, RewardSource rewards, int slicesWanted) {
        this.weightsDir = weightsDir.toAbsolutePath().normalize();
        this.modelDir = modelDir.toAbsolutePath().normalize();
        this.rewards = rewards;
        this.slicesWanted = slicesWanted;
        try {
            Files.createDirectories(this.weightsDir);
        } catch (IOException e) {
            throw new UserInputException(this.weightsDir + ": cannot create the folder for published weights ("
                    + AtomicFolder.reason(e) + "); set rollout.spark.weights_dir");
        }
        this.spark = new JavaSparkContext(conf);
    }

    /** The backend a run config asks for. */
    static SparkRolloutBackend of(RunConfig config, Path modelDir, Path runDir) {
        RunConfig.Spark s = config.rollout().spark();
        Path weights = s.weightsDir() != null ? Path.of(s.weightsDir()) : runDir.resolve("policy-versions");
        return new SparkRolloutBackend(SparkSettings.conf(s), weights, modelDir,
                new RewardSource.OfConfig(config.toJson().toString()), s.executors()); // a task per executor: it runs on all its cores
    }

    /** The Spark context (tests watch its executors). */
    JavaSparkContext context() {
        return spark;
    }

    @Override
    public CompletableFuture<Sampled> submit(List<GroupTask> tasks, int generations, SamplingParams params, int version) {
        if (version != publishedVersion) {
            throw new IllegalStateException("version " + version + " was asked for, but version " + publishedVersion
                    + " is the newest published");
        }
        if (tasks.isEmpty()) {
            return CompletableFuture.completedFuture(new Sampled(List.of(), 0));
        }
        RolloutJob job = new RolloutJob(versionDir(version).toString(), version, modelDir.toString(), generations, params,
                rewards);
        int slices = Math.min(tasks.size(), slicesWanted);
        JavaFutureAction<List<Sampled>> action = spark.parallelize(tasks, slices)
                .mapPartitions((Iterator<GroupTask> it) -> {
                    List<GroupTask> slice = new ArrayList<>();
                    it.forEachRemaining(slice::add);
                    return List.of(ExecutorPolicy.sample(job, slice)).iterator();
                })
                .collectAsync();
        return CompletableFuture.supplyAsync(() -> gather(await(action), tasks.size(), version), waiter);
    }

    private static List<Sampled> await(JavaFutureAction<List<Sampled>> action) {
        try {
            return action.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            action.cancel(true);
            throw new IllegalStateException("interrupted while the executors sampled", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Spark rollout job failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The slices' groups in task order, each task's exactly once and from {@code version}. */
    static Sampled gather(List<Sampled> slices, int tasks, int version) {
        List<ScoredGroup> groups = new ArrayList<>();
        long rewardNanos = 0;
        for (Sampled s : slices) {
            groups.addAll(s.groups());
            rewardNanos += s.rewardNanos();
        }
        groups.sort(Comparator.comparingInt(ScoredGroup::index));
        for (int i = 0; i < groups.size(); i++) {
            ScoredGroup g = groups.get(i);
            if (g.index() != i || i >= tasks) {
                throw new IllegalStateException("the executors returned group " + g.index() + " at place " + i + " of "
                        + tasks + ": a group is missing or came back twice");
            }
            if (g.policyVersion() != version) {
                throw new IllegalStateException("group " + g.index() + " was sampled by policy version " + g.policyVersion()
                        + ", not the version " + version + " it was sent to; it is not mixed in");
            }
        }
        if (groups.size() != tasks) {
            throw new IllegalStateException(groups.size() + " groups came back for " + tasks + " tasks");
        }
        return new Sampled(List.copyOf(groups), rewardNanos);
    }

    @Override
    public void publish(CausalLM policy, int version) {
        Path target = versionDir(version);
        Path tmp = AtomicFolder.temporaryFor(target);
        try {
            AtomicFolder.prepare(target);
            Checkpoints.writeWeights(policy, modelDir, tmp);
            Files.writeString(tmp.resolve(ExecutorPolicy.VERSION_FILE), version + "\n");
            AtomicFolder.publish(tmp, target);
            publishedVersion = version;
            deleteBefore(version - 1);
        } catch (IOException | UncheckedIOException e) {
            AtomicFolder.deleteQuietly(tmp);
            throw new UserInputException(target + ": cannot publish policy version " + version + ": " + AtomicFolder.reason(e));
        }
    }

    private Path versionDir(int version) {
        return weightsDir.resolve(String.format("v-%06d", version));
    }

    private void deleteBefore(int keep) throws IOException {
        try (Stream<Path> dirs = Files.list(weightsDir)) {
            for (Path p : dirs.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("v-\\d{6}") && Integer.parseInt(name.substring(2)) < keep) {
                    AtomicFolder.deleteTree(p);
                }
            }
        }
    }

    @Override
    public boolean overlapsUpdates() {
        return true;
    }

    @Override
    public int executors() {
        int others = spark.statusTracker().getExecutorInfos().length - 1; // the driver is listed too
        return Math.max(1, others);
    }

    @Override
    public void close() {
        waiter.shutdownNow();
        spark.stop();
    }
}
