package io.zero4j.trainer.run;

import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.trainer.checkpoint.AtomicFolder;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.loop.ScoredBatch;
import io.zero4j.trainer.loop.TrainerState;
import io.zero4j.trainer.metrics.MetricNames;
import io.zero4j.trainer.metrics.MetricsLog;
import io.zero4j.trainer.metrics.Plots;
import io.zero4j.trainer.metrics.RunReport;
import io.zero4j.trainer.metrics.SampleLog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a run does around its steps, on the schedules of {@code run.*}: the held-out evaluation (at
 * step 0 and every {@code eval_every} steps, and at the last), the metrics row, sample lines, a
 * checkpoint every {@code save_every} steps, plots, the progress line; at the end the
 * {@code final/} export, written whole or not at all. It also keeps {@code run.max_train_seconds}:
 * the step wall time spent (across resumes, from the metrics log), and the step that spends the
 * budget is the run's last. The loop calls it after each step; it knows no algorithm.
 */
public final class RunHarness implements GrpoLoop.StepSink {
    public static final String METRICS = "metrics.jsonl";
    public static final String SAMPLES = "samples.jsonl";
    public static final String FINAL = "final";

    /** Writes a checkpoint of a state and says which folder holds it. */
    public interface Checkpointer {
        Path save(TrainerState state);
    }

    private final RunFolder folder;
    private final RunConfig.Run run;
    private final MetricsLog metrics;
    private final SampleLog samples;
    private final Supplier<Map<String, Double>> evaluation;
    private final Checkpointer checkpointer;
    private final Progress progress;
    private volatile String kept = "no checkpoint yet";
    private volatile int doneSteps;
    private double trainSeconds; // step wall time spent so far, resumed runs' earlier steps included
    private String command = "train";

    /** @param evaluation the held-out metrics (without the {@code eval/} prefix), or null for none */
    public RunHarness(RunFolder folder, RunConfig.Run run, Supplier<Map<String, Double>> evaluation, Checkpointer checkpointer,
                      PrintStream err) {
        this.folder = folder;
        this.run = run;
        this.metrics = new MetricsLog(folder.resolve(METRICS));
        this.samples = new SampleLog(folder.resolve(SAMPLES));
        this.evaluation = evaluation;
        this.checkpointer = checkpointer;
        this.progress = new Progress(err, run.steps());
    }

    /** The command whose {@code --resume} continues this run ({@code train} unless said). */
    public RunHarness resumedBy(String command) {
        this.command = command;
        return this;
    }

    /** Cuts the logs back to {@code step} (a fresh run's are empty); {@code keptCheckpoint} is the one resumed from, or null. */
    public void begin(int step, String keptCheckpoint) {
        metrics.truncateAfter(step);
        samples.truncateAfter(step);
        doneSteps = step;
        trainSeconds = metrics.sum(MetricNames.STEP_SECONDS, step);
        kept = keptCheckpoint == null ? kept : keptCheckpoint;
        progress.begin(step);
    }

    /** Ends the progress display (a run that stops early leaves the bar where it was). */
    public void end() {
        progress.close();
    }

    /** The evaluation before training (step 0), unless the log has it already. */
    public void evaluateFirst() {
        if (evaluation != null && metrics.read(0) == null) {
            metrics.write(0, evaluate());
        }
    }

    /**
     * After the loop: the last step's evaluation if it has none, a checkpoint of the last step unless
     * it has one, the plots once more (a resumed run with nothing left to train refreshes them too),
     * and {@code final/} with the model card of {@code config} trained by {@code method}.
     */
    public void finish(TrainerState state, CausalLM model, Path tokenizerDir, RunConfig config, String method)
            throws IOException {
        evaluateLastIfMissing();
        if (Checkpoints.latest(folder.dir()).map(p -> !p.equals(Checkpoints.dirFor(folder.dir(), state.step()))).orElse(true)) {
            save(state);
        }
        writePlots();
        exportFinal(model, tokenizerDir, modelCard(config, method));
    }

    /**
     * The last step's evaluation, when a resume found nothing left to train (a lowered
     * {@code run.steps} or time budget) and that step, not a last one then, had none.
     */
    private void evaluateLastIfMissing() {
        Map<String, Double> row = doneSteps == 0 ? null : metrics.read(doneSteps);
        if (evaluation != null && row != null && RunReport.evalKeys(row).isEmpty()) {
            row.putAll(evaluate());
            metrics.replaceLast(doneSteps, row); // one atomic rewrite: a kill leaves the row as it was or as it is now
        }
    }

    /** @param batch the step's samples to log (null: none, as in SFT) */
    @Override
    public void afterStep(TrainerState state, Map<String, Double> stepMetrics, ScoredBatch batch) {
        int step = state.step();
        trainSeconds += stepMetrics.getOrDefault(MetricNames.STEP_SECONDS, 0.0);
        boolean last = step == run.steps() || stopRequested();
        Map<String, Double> row = new LinkedHashMap<>(stepMetrics);
        if (evaluation != null && (step % run.evalEvery() == 0 || last)) {
            row.putAll(evaluate());
        }
        metrics.write(step, row);
        if (batch != null && run.logSamplesEvery() > 0 && step % run.logSamplesEvery() == 0) {
            samples.write(step, batch);
        }
        if (run.saveEvery() > 0 && step % run.saveEvery() == 0) {
            save(state);
        }
        if (last || step % Math.max(1, run.steps() / 50) == 0) {
            writePlots(); // refreshed about 50 times a run
        }
        doneSteps = step;
        progress.step(step, row, last);
    }

    /** Whether {@code run.max_train_seconds} of step time are spent. */
    @Override
    public boolean stopRequested() {
        return run.maxTrainSeconds() > 0 && trainSeconds >= run.maxTrainSeconds();
    }

    /** The last step done: {@code run.steps}, or fewer when the time budget ended the run. */
    public int doneSteps() {
        return doneSteps;
    }

    private Map<String, Double> evaluate() {
        Map<String, Double> out = new LinkedHashMap<>();
        evaluation.get().forEach((k, v) -> out.put(MetricNames.EVAL + k, v));
        return out;
    }

    public void save(TrainerState state) {
        kept = checkpointer.save(state).getFileName().toString();
    }

    /** What was kept and how to go on, for a run that stops here. */
    public String keptAndHowToResume() {
        return "kept " + kept + "; continue with ./zero4j " + command + " --resume " + folder.dir();
    }

    /** The message for a stop by signal during the step after the last one done. */
    public String stoppedMessage() {
        return "\nzero4j: stopped during step " + (doneSteps + 1) + "; " + keptAndHowToResume();
    }

    /** The model card of this run trained by {@code method}, with the held-out metrics at step 0 and at its end. */
    private String modelCard(RunConfig config, String method) {
        return ModelCard.of(config, method, RunReport.evalKeys(metrics.read(0)), RunReport.evalKeys(metrics.read(doneSteps)),
                doneSteps);
    }

    public MetricsLog metrics() {
        return metrics;
    }

    public void writePlots() {
        try {
            Plots.write(folder.resolve(METRICS), folder.dir());
        } catch (IOException e) {
            throw new UserInputException(folder.dir() + ": cannot write the plots: " + e.getMessage());
        }
    }

    /**
     * {@code final/}: the Hugging Face export with {@code modelCard} as its README.md, built under a
     * temporary name and renamed, so it is whole or absent.
     */
    private void exportFinal(CausalLM policy, Path tokenizerDir, String modelCard) throws IOException {
        Path target = folder.resolve(FINAL);
        Path tmp = AtomicFolder.prepare(target);
        try {
            ModelExporter.export(policy, tokenizerDir, tmp, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            Files.writeString(tmp.resolve("README.md"), modelCard);
            AtomicFolder.publish(tmp, target);
        } catch (IOException | UncheckedIOException e) {
            AtomicFolder.deleteQuietly(tmp);
            throw new UserInputException(target + ": cannot write the final export: " + AtomicFolder.reason(e));
        }
    }
}
