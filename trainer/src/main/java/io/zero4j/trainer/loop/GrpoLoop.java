package io.zero4j.trainer.loop;

import io.zero4j.model.CausalLM;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemStream;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.LearningRateSchedule;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.LocalRolloutBackend;
import io.zero4j.trainer.rollouts.RolloutBackend;
import java.util.List;
import java.util.Map;

/**
 * GRPO, one step after another. Each step: sample and score groups (filtering them under dynamic
 * sampling), turn rewards into advantages, update the policy, publish the new weights as the next
 * policy version, and hand the step's metrics and batch to the {@link StepSink} (which evaluates,
 * logs and checkpoints when due). Knows nothing of files.
 *
 * <p>With {@code rollout.max_off_policy_steps: 1} (a backend whose samplers hold their own weights)
 * the next step's batch is started before this step's update, so it is sampled from the version
 * before the update while the update runs: each batch is then one version old when it is trained
 * on, never more (checked per group), and the update corrects for it by importance weights.
 */
public final class GrpoLoop {
    /** What happens after each step: evaluation, logs, checkpoints, on their schedules. */
    public interface StepSink {
        void afterStep(TrainerState state, Map<String, Double> metrics, ScoredBatch batch);

        /** True when the run should end after the step just done (its time budget is spent). */
        default boolean stopRequested() {
            return false;
        }
    }

    /** One step's outcome. */
    public record Step(Map<String, Double> metrics, ScoredBatch batch, GrpoUpdate.Stats stats) {
    }

    private final GroupSampler sampler;
    private final LearningSignal signal;
    private final GrpoUpdate update;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final RunConfig.Algorithm algorithm;
    private final int optimizerStepsPerBatch;
    private final int maxOffPolicySteps;
    private int step;
    private int publishedVersion = -1;
    private GroupSampler.Pending ahead;
    private int cursorBeforeAhead;

    /** @param optimizerStepsPerBatch how many optimizer steps one full generation batch makes */
    public GrpoLoop(GroupSampler sampler, LearningSignal signal, GrpoUpdate update, AdamW optimizer,
                    LearningRateSchedule schedule, RunConfig.Algorithm algorithm, int optimizerStepsPerBatch,
                    int maxOffPolicySteps) {
        this.sampler = sampler;
        this.signal = signal;
        this.update = update;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.algorithm = algorithm;
        this.optimizerStepsPerBatch = optimizerStepsPerBatch;
        if (maxOffPolicySteps > 0 && !sampler.backend().overlapsUpdates()) {
            throw new IllegalArgumentException("rollout.max_off_policy_steps > 0 needs a backend whose samplers hold their"
                    + " own weights (rollout.backend: spark)");
        }
        this.maxOffPolicySteps = maxOffPolicySteps;
    }

    /** The loop a run config describes, sampling in this process; {@code reference} only when beta > 0. */
    public static GrpoLoop of(RunConfig config, Policy policy, CausalLM reference, RewardSet rewards, List<Problem> train) {
        return of(config, policy, reference, new LocalRolloutBackend(policy.engine(), rewards), train);
    }

    /** The loop a run config describes, sampling through {@code backend} (which the caller closes). */
    public static GrpoLoop of(RunConfig config, Policy policy, CausalLM reference, RolloutBackend backend, List<Problem> train) {
        return of(config, policy, reference, backend, train, null);
    }

    /** As above, with the learning signal {@code signal} (null: GRPO's group advantages). */
    public static GrpoLoop of(RunConfig config, Policy policy, CausalLM reference, RolloutBackend backend, List<Problem> train,
                              LearningSignal signal) {
        return GrpoParts.build(config, policy, reference, backend, new ProblemStream(train, config.dataset().shuffleSeed()),
                signal);
    }

    /**
     * Steps until {@code steps} are done, each handed to {@code sink}; stops with one line after
     * {@code maxBadSteps} steps in a row whose loss or gradient was not finite.
     */
    public void run(int steps, int maxBadSteps, StepSink sink) {
        int badInARow = 0;
        while (step < steps && !sink.stopRequested()) {
            Step s = step(step + 1 < steps);
            sink.afterStep(state(), s.metrics(), s.batch());
            badInARow = s.stats().skippedSteps() > 0 && Double.isNaN(s.stats().meanGradNorm()) ? badInARow + 1 : 0;
            if (badInARow >= maxBadSteps) {
                throw new UserInputException("train: " + badInARow + " steps in a row had a NaN/Inf loss or gradient;"
                        + " stopping (lower optim.learning_rate or raise run.max_bad_steps)");
            }
        }
    }

    /** One GRPO step, the last one (nothing is started ahead). */
    public Step step() {
        return step(false);
    }

    /**
     * One GRPO step; with {@code moreToCome} and off-policy steps allowed, the next step's batch is
     * started from the current weights before this step's update.
     */
    public Step step(boolean moreToCome) {
        long t0 = System.nanoTime();
        publish();
        int learnerVersion = step;
        GroupSampler.Collected groups = ahead != null ? sampler.finish(ahead)           // sampled during the last update
                : sampler.collect(step + 1, learnerVersion);                            // sample, score, filter
        cursorBeforeAhead = sampler.problems().cursor();
        ahead = moreToCome && maxOffPolicySteps > 0 ? sampler.start(step + 2, learnerVersion) : null;
        int staleness = checkStaleness(groups.kept(), learnerVersion);
        ScoredBatch batch = ScoredBatch.of(groups.kept(), signal, algorithm.maskTruncatedCompletions()); // advantages
        long t1 = System.nanoTime();
        GrpoUpdate.Stats stats = batch.isEmpty() ? GrpoUpdate.Stats.NONE
                : update.apply(batch, algorithm.numIterations(), schedule::at);            // update
        long updateNanos = System.nanoTime() - t1;
        step++;
        publish();                                                                      // the next version
        Map<String, Double> metrics = StepMetrics.of(batch, groups, stats, algorithm.beta() > 0, algorithm.dynamicSampling(),
                new StepMetrics.Timing(updateNanos, System.nanoTime() - t0),
                new StepMetrics.Versions(sampler.backend().executors(), learnerVersion, staleness));
        metrics.putAll(signal.metrics());
        return new Step(metrics, batch, stats);
    }

    /** Makes the learner's weights after {@link #step} steps the backend's newest version, once. */
    private void publish() {
        if (publishedVersion != step) {
            sampler.backend().publish(update.policy(), step);
            publishedVersion = step;
        }
    }

    /** How many versions the batch lags the learner; fails if a group is from a future version or more than allowed behind. */
    private int checkStaleness(List<ScoredGroup> groups, int learnerVersion) {
        int worst = 0;
        for (ScoredGroup g : groups) {
            int behind = learnerVersion - g.policyVersion();
            if (behind < 0 || behind > maxOffPolicySteps) {
                throw new IllegalStateException("step " + (step + 1) + ": group " + g.index() + " was sampled by policy version "
                        + g.policyVersion() + " but the learner is at version " + learnerVersion
                        + " and rollout.max_off_policy_steps is " + maxOffPolicySteps);
            }
            worst = Math.max(worst, behind);
        }
        return worst;
    }

    public TrainerState state() {
        // a batch started ahead has drawn its problems; a checkpoint resumes before them
        return new TrainerState(step, ahead != null ? cursorBeforeAhead : sampler.problems().cursor(), optimizer.stepCount());
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * Continues from a checkpoint's position: the step and the data cursor (the optimizer is restored
     * on its own). A batch that was started ahead when the run stopped is sampled again, from the
     * checkpoint's weights.
     */
    public void restore(TrainerState s) {
        if (ahead != null) {
            throw new IllegalStateException("restore before the first step");
        }
        step = s.step();
        sampler.problems().seek(s.cursor());
    }

    /**
     * Whether every generation batch feeds exactly one optimizer step, so the old log-probabilities
     * are the current ones and the policy ratio is exactly 1.
     */
    public boolean ratioIsExactlyOne() {
        return optimizerStepsPerBatch == 1;
    }
}
