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
import java.util.List;
import java.util.Map;

/**
 * GRPO, one step after another. Each step: sample and score groups (filtering them under dynamic
 * sampling), turn rewards into advantages, update the policy, and hand the step's metrics and batch
 * to the {@link StepSink} (which evaluates, logs and checkpoints when due). Knows nothing of files.
 */
public final class GrpoLoop {
    /** What happens after each step: evaluation, logs, checkpoints, on their schedules. */
    public interface StepSink {
        void afterStep(TrainerState state, Map<String, Double> metrics, ScoredBatch batch);
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
    private int step;

    /** @param optimizerStepsPerBatch how many optimizer steps one full generation batch makes */
    public GrpoLoop(GroupSampler sampler, LearningSignal signal, GrpoUpdate update, AdamW optimizer,
                    LearningRateSchedule schedule, RunConfig.Algorithm algorithm, int optimizerStepsPerBatch) {
        this.sampler = sampler;
        this.signal = signal;
        this.update = update;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.algorithm = algorithm;
        this.optimizerStepsPerBatch = optimizerStepsPerBatch;
    }

    /** The loop a run config describes, sampling in this process; {@code reference} only when beta > 0. */
    public static GrpoLoop of(RunConfig config, Policy policy, CausalLM reference, RewardSet rewards, List<Problem> train) {
        return GrpoParts.build(config, policy, reference, rewards, new ProblemStream(train, config.dataset().shuffleSeed()));
    }

    /**
     * Steps until {@code steps} are done, each handed to {@code sink}; stops with one line after
     * {@code maxBadSteps} steps in a row whose loss or gradient was not finite.
     */
    public void run(int steps, int maxBadSteps, StepSink sink) {
        int badInARow = 0;
        while (step < steps) {
            Step s = step();
            sink.afterStep(state(), s.metrics(), s.batch());
            badInARow = s.stats().skippedSteps() > 0 && Double.isNaN(s.stats().meanGradNorm()) ? badInARow + 1 : 0;
            if (badInARow >= maxBadSteps) {
                throw new UserInputException("train: " + badInARow + " steps in a row had a NaN/Inf loss or gradient;"
                        + " stopping (lower optim.learning_rate or raise run.max_bad_steps)");
            }
        }
    }

    /** One GRPO step. */
    public Step step() {
        GroupSampler.Collected groups = sampler.collect(step + 1);                      // sample, score, filter
        ScoredBatch batch = ScoredBatch.of(groups.kept(), signal, algorithm.maskTruncatedCompletions()); // advantages
        long t0 = System.nanoTime();
        GrpoUpdate.Stats stats = batch.isEmpty() ? GrpoUpdate.Stats.NONE
                : update.apply(batch, algorithm.numIterations(), schedule::at);            // update
        long updateNanos = System.nanoTime() - t0;
        step++;
        Map<String, Double> metrics = StepMetrics.of(batch, groups, stats, algorithm.beta() > 0, algorithm.dynamicSampling(),
                updateNanos);
        return new Step(metrics, batch, stats);
    }

    public TrainerState state() {
        return new TrainerState(step, sampler.problems().cursor(), optimizer.stepCount());
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Continues from a checkpoint's position: the step and the data cursor (the optimizer is restored on its own). */
    public void restore(TrainerState s) {
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
