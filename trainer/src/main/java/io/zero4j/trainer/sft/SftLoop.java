package io.zero4j.trainer.sft;

import io.zero4j.model.UserInputException;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.loop.TrainerState;
import io.zero4j.trainer.metrics.MetricNames;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.LearningRateSchedule;
import io.zero4j.trainer.policy.Policy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning, one step after another: {@code sft.batch_size} pairs per optimizer step in
 * {@link SftOrder}'s order, on the same AdamW, learning-rate schedule and clipping as GRPO; each
 * step's metrics go to the run's {@link GrpoLoop.StepSink} (evaluation, logs, checkpoints). The
 * state is the step and the position in the data, so a resumed run continues exactly.
 */
public final class SftLoop {
    private final SftOrder order;
    private final SftUpdate update;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final int batchSize;
    private final int examples;
    private final String dataSummary;
    private int step;
    private long cursor;

    private SftLoop(SftOrder order, SftUpdate update, AdamW optimizer, LearningRateSchedule schedule, int batchSize,
                    int examples, String dataSummary) {
        this.dataSummary = dataSummary;
        this.order = order;
        this.update = update;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.batchSize = batchSize;
        this.examples = examples;
    }

    /** The loop over the pairs in {@code dataFile} for {@code policy}, as {@code config} sets it. */
    public static SftLoop of(RunConfig config, Policy policy, Path dataFile) {
        SftData.Read read = SftData.read(dataFile, config, policy);
        List<SftExample> data = read.examples();
        long tokens = data.stream().mapToLong(e -> e.completion().length).sum();
        String summary = data.size() + " pairs from " + dataFile + " (" + tokens + " completion tokens; " + read.truncated()
                + " cut at sampling.max_completion_length; " + read.skipped() + " not kept, left out)";
        RunConfig.Optim o = config.optim();
        AdamW optimizer = new AdamW(policy.model().trainableParameters(), policy.model().manager(), o.adamBeta1(), o.adamBeta2(),
                o.adamEpsilon(), o.weightDecay());
        return new SftLoop(new SftOrder(data, config.run().seed(), config.sft().bucketWindow()),
                new SftUpdate(policy.model(), optimizer, o.microBatchSize(), o.maxGradNorm()), optimizer,
                new LearningRateSchedule(o.learningRate(), o.warmupSteps(), config.run().steps(), o.lrScheduler()),
                config.sft().batchSize(), data.size(), summary);
    }

    /** What the data holds, for the run's first lines. */
    public String dataSummary() {
        return dataSummary;
    }

    /**
     * Steps until {@code steps} are done or the sink asks to stop; stops with one line after
     * {@code maxBadSteps} steps in a row whose loss or gradient was not finite (each one skipped).
     */
    public void run(int steps, int maxBadSteps, GrpoLoop.StepSink sink) {
        int badInARow = 0;
        while (step < steps && !sink.stopRequested()) {
            long t0 = System.nanoTime();
            double rate = schedule.at(optimizer.stepCount());
            SftUpdate.Stats s = update.step(order.take(cursor, batchSize), rate);
            cursor += batchSize;
            step++;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(MetricNames.LOSS, s.loss());
            m.put(MetricNames.GRAD_NORM, s.gradNorm());
            m.put(MetricNames.LEARNING_RATE, rate);
            m.put(MetricNames.TOKENS, (double) s.tokens());
            m.put(MetricNames.EPOCH, (double) cursor / examples);
            m.put(MetricNames.SKIPPED_STEPS, s.skipped() ? 1.0 : 0.0);
            m.put(MetricNames.STEP_SECONDS, (System.nanoTime() - t0) / 1e9);
            sink.afterStep(state(), m, null);
            badInARow = s.skipped() ? badInARow + 1 : 0;
            if (badInARow >= maxBadSteps) {
                throw new UserInputException("sft: " + badInARow + " steps in a row had a NaN/Inf loss or gradient;"
                        + " stopping (lower optim.learning_rate or raise run.max_bad_steps)");
            }
        }
    }

    public TrainerState state() {
        return new TrainerState(step, Math.toIntExact(cursor), optimizer.stepCount());
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Continues from a checkpoint's step and data position (the optimizer is restored on its own). */
    public void restore(TrainerState s) {
        step = s.step();
        cursor = s.cursor();
    }
}
