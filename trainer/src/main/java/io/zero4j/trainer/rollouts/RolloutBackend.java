package io.zero4j.trainer.rollouts;

import io.zero4j.model.CausalLM;
import io.zero4j.rollout.SamplingParams;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a run's scored groups come from: {@link LocalRolloutBackend} samples with the learner's own
 * model in this process; the Spark backend ({@code zero4j-spark}) fans groups out to executors, each
 * of which holds its own copy of a published policy version and scores its completions itself.
 *
 * <p>Versions: the learner's weights after {@code n} GRPO steps are version {@code n}. The loop
 * {@link #publish}es each version once; a submission names the version it must be sampled from, and
 * every group comes back stamped with the version that actually produced it.
 */
public interface RolloutBackend extends AutoCloseable {
    /**
     * Samples {@code generations} completions of each task's prompt from policy version
     * {@code version} and scores them. The future's groups are in task order, one per task.
     */
    CompletableFuture<Sampled> submit(List<GroupTask> tasks, int generations, SamplingParams params, int version);

    /** Makes {@code policy}'s current weights version {@code version}, for submissions from now on. */
    void publish(CausalLM policy, int version);

    /**
     * Whether sampling may run while the learner updates its weights (the samplers hold their own
     * copy); a backend that samples with the learner's model cannot overlap.
     */
    boolean overlapsUpdates();

    /** Processes sampling now (1 for this process). */
    int executors();

    @Override
    void close();

    /** A submission's groups, and the seconds spent in reward functions wherever they ran. */
    record Sampled(List<io.zero4j.trainer.loop.ScoredGroup> groups, long rewardNanos) implements java.io.Serializable {
    }
}
