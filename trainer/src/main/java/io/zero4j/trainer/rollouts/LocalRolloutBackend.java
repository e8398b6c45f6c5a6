package io.zero4j.trainer.rollouts;

import io.zero4j.model.CausalLM;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code rollout.backend: local}: samples on the calling thread with the learner's own model, so a
 * submission is done when it returns and is always from the learner's current weights.
 */
public final class LocalRolloutBackend implements RolloutBackend {
    private final RolloutEngine engine;
    private final RewardSet rewards;
    private int version;

    public LocalRolloutBackend(RolloutEngine engine, RewardSet rewards) {
        this.engine = engine;
        this.rewards = rewards;
    }

    @Override
    public CompletableFuture<Sampled> submit(List<GroupTask> tasks, int generations, SamplingParams params, int version) {
        if (version != this.version) {
            throw new IllegalStateException("the local backend samples the learner's weights (version " + this.version
                    + "), not version " + version);
        }
        return CompletableFuture.completedFuture(GroupScoring.sampleAndScore(engine, rewards, tasks, generations, params,
                version));
    }

    @Override
    public void publish(CausalLM policy, int version) {
        this.version = version; // the engine samples the learner's model itself: nothing to copy
    }

    @Override
    public boolean overlapsUpdates() {
        return false;
    }

    @Override
    public int executors() {
        return 1;
    }

    @Override
    public void close() {
    }
}
