package io.zero4j.trainer.run;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.checkpoint.AtomicFolder;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.loop.GrpoTrainer;
import io.zero4j.trainer.loop.MetricsLog;
import io.zero4j.trainer.loop.Problem;
import io.zero4j.trainer.loop.ProblemSet;
import io.zero4j.trainer.loop.SampleLog;
import io.zero4j.trainer.metrics.Plots;
import io.zero4j.trainer.metrics.RunReport;
import io.zero4j.trainer.pretrain.BaseModels;
import io.zero4j.trainer.pretrain.PretrainConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A training run in its folder, in a fixed order: the base model, the data, the evaluation before
 * training (step 0), then per step: GRPO step, evaluation on its schedule, the metrics row, sample
 * lines, a checkpoint on its schedule, plots; at the end a checkpoint of the last step, {@code final/}
 * (written whole or not at all) and the report. A resumed run starts after its newest checkpoint
 * (or from the start, keeping the step-0 evaluation, when it stopped before its first) with the
 * logs cut back to that step, so its metrics match a run never stopped; a finished run resumed only
 * writes what its end did not (the export, the report). A SIGTERM or Ctrl-C stops at once and says
 * what was kept; so does a failure.
 */
public final class TrainingRun {
    public static final String METRICS = "metrics.jsonl";
    public static final String SAMPLES = "samples.jsonl";
    public static final String FINAL = "final";
    public static final String REPORT = "report.json";
    /** Keys changed on resume, one line per resume. */
    public static final String RESUMES = "resumes.jsonl";

    private final RunConfig config;
    private final String source;
    private final RunFolder folder;
    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos;
    private volatile String kept = "no checkpoint yet";
    private volatile int doneSteps;

    /** @param startNanos when the command started, for the report's wall time (pretraining included) */
    public TrainingRun(RunConfig config, String source, RunFolder folder, PrintStream out, PrintStream err, long startNanos) {
        this.config = config;
        this.source = source;
        this.folder = folder;
        this.out = out;
        this.err = err;
        this.startNanos = startNanos;
    }

    /** A fresh run: the folder is empty (or was cleared). */
    public void start() throws IOException {
        train(Optional.empty(), startStep -> writeConfig());
    }

    /** Continues the run in the folder; {@code changes} are the keys changed since it was saved. */
    public void resume(Map<String, JsonNode[]> changes) throws IOException {
        train(Checkpoints.latest(folder.dir()), startStep -> {
            if (!changes.isEmpty()) {
                recordChanges(changes, startStep);
            }
        });
    }

    /** Something written once the run's inputs have all been checked, knowing the step the run starts after. */
    private interface Commit {
        void run(int startStep) throws IOException;
    }

    private void recordChanges(Map<String, JsonNode[]> changes, int step) throws IOException {
        Map<String, Object> changed = new LinkedHashMap<>();
        changes.forEach((key, fromTo) -> {
            Map<String, JsonNode> change = new LinkedHashMap<>();
            change.put("from", fromTo[0]);
            change.put("to", fromTo[1]);
            changed.put(key, change);
        });
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("step", step);
        record.put("changed", changed);
        Files.writeString(folder.resolve(RESUMES), RunConfigLoader.MAPPER.writeValueAsString(record) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        writeConfig();
        err.println("zero4j: resuming with " + changed.keySet() + " changed (recorded in " + folder.resolve(RESUMES) + ")");
    }

    private void writeConfig() throws IOException {
        Path target = folder.resolve(RunFolder.CONFIG);
        Path tmp = target.resolveSibling("." + RunFolder.CONFIG + ".tmp");
        ModelExporter.writeJson(tmp, config.toJson());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void train(Optional<Path> checkpoint, Commit commit) throws IOException {
        Path runDir = folder.dir();
        Device device = Devices.resolve(config.run().device(), source + ": key 'run.device'"); // before any pretraining
        Path modelDir = config.model().path() != null ? Path.of(config.model().path())
                : BaseModels.ensure(PretrainConfigLoader.load(Path.of(config.model().pretrain()), List.of()),
                        config.model().pretrain(), device, err);
        Checkpoints.Saved saved = checkpoint.map(Checkpoints::readState).orElse(null);
        int startStep = saved == null ? 0 : saved.state().step();
        if (startStep > config.run().steps()) {
            throw new UserInputException(source + ": key 'run.steps': " + config.run().steps() + " is below the step of the"
                    + " newest checkpoint (" + startStep + "); raise it with --set run.steps=N");
        }
        Checkpoints.removeStaleTemporaries(runDir);
        RewardSet rewards = config.rewardSet();
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir);
             CausalLM policy = ModelLoader.load(checkpoint.orElse(modelDir), device, DataType.FLOAT32);
             CausalLM reference = config.algorithm().beta() > 0 ? ModelLoader.load(modelDir, device, DataType.FLOAT32) : null) {
            int context = policy.config().maxPositionEmbeddings();
            RunConfig.Sampling s = config.sampling();
            if (s.maxPromptLength() + s.maxCompletionLength() > context) {
                throw new UserInputException(source + ": key 'sampling.max_completion_length': max_prompt_length ("
                        + s.maxPromptLength() + ") + max_completion_length (" + s.maxCompletionLength()
                        + ") exceeds the model's context of " + context);
            }
            Set<Integer> eos = new LinkedHashSet<>(policy.config().eosTokenIds());
            eos.addAll(tokenizer.eosIds());
            RunConfig.Dataset d = config.dataset();
            List<Problem> rows = ProblemSet.shuffled(ProblemSet.read(Path.of(d.path()), d.problemField(), d.answerField(),
                    rewards.requires()), d.shuffleSeed());
            int held = d.evalPath() == null ? Math.min(d.evalSize(), rows.size() - 1) : 0;
            List<Problem> train = rows.subList(held, rows.size());
            List<Problem> heldOut = rows.subList(0, held);
            if (d.evalPath() != null) {
                List<Problem> evalRows = ProblemSet.read(Path.of(d.evalPath()), d.problemField(), d.answerField(),
                        rewards.requires());
                heldOut = evalRows.subList(0, Math.min(d.evalSize(), evalRows.size()));
            }
            GrpoTrainer trainer = new GrpoTrainer(config, policy, reference, tokenizer::encode, ids -> tokenizer.decode(ids, false),
                    eos, rewards, train);
            double offset = saved == null ? 0 : saved.elapsedSeconds(); // training seconds of earlier processes
            if (saved != null) {
                trainer.restore(saved.state());
                Checkpoints.restoreOptimizer(checkpoint.get(), trainer.optimizer(), saved.state().optimizerSteps());
                kept = checkpoint.get().getFileName().toString();
            }
            MetricsLog metrics = new MetricsLog(folder.resolve(METRICS));
            SampleLog samples = new SampleLog(folder.resolve(SAMPLES));
            metrics.truncateAfter(startStep); // a fresh run's logs are empty; a resumed one's are cut back to its checkpoint
            samples.truncateAfter(startStep);
            commit.run(startStep); // every input is checked: from here on the folder holds this run
            err.println("zero4j: training on " + Devices.describe(device) + " (run.device: " + config.run().device() + ")");
            if (saved != null) {
                err.println("zero4j: resuming " + runDir + " after step " + startStep);
            }
            Thread onSignal = new Thread(() -> err.println("\nzero4j: stopped during step " + (doneSteps + 1) + "; kept "
                    + kept + "; continue with ./zero4j train --resume " + runDir));
            Runtime.getRuntime().addShutdownHook(onSignal);
            Evaluator evaluator = new Evaluator(policy, tokenizer::encode, ids -> tokenizer.decode(ids, false), eos, rewards,
                    config.prompt().template(), s.maxPromptLength(), 64);
            boolean evaluating = config.run().evalEvery() > 0 && !heldOut.isEmpty();
            if (trainer.ratioIsExactlyOne()) {
                err.println("zero4j: each generation batch makes one optimizer step, so the policy ratio is exactly 1 and the"
                        + " logged loss is ~0 by construction; its gradient is A * grad log pi, and learning shows in the rewards");
            }
            try {
                if (evaluating && metrics.read(0) == null) {
                    metrics.write(0, evaluate(evaluator, heldOut));
                }
                loop(trainer, policy, modelDir, metrics, samples, evaluator, heldOut, evaluating, offset);
                if (Checkpoints.latest(runDir).map(p -> !p.equals(Checkpoints.dirFor(runDir, trainer.stepCount()))).orElse(true)) {
                    save(policy, modelDir, trainer, offset);
                }
                writePlots(); // once more: a resumed run that had nothing left to train refreshes them too
                exportFinal(policy, modelDir);
            } catch (UserInputException e) {
                throw new UserInputException(e.getMessage() + "; kept " + kept + "; continue with ./zero4j train --resume "
                        + runDir);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it says what was kept
                }
            }
            out.println("trained " + trainer.stepCount() + " steps; metrics in " + folder.resolve(METRICS) + ", model in "
                    + folder.resolve(FINAL));
            report(metrics, offset);
        }
    }

    private void loop(GrpoTrainer trainer, CausalLM policy, Path modelDir, MetricsLog metrics, SampleLog samples,
                      Evaluator evaluator, List<Problem> heldOut, boolean evaluating, double offset) throws IOException {
        RunConfig.Run r = config.run();
        Progress progress = new Progress(err, r.steps());
        int badInARow = 0;
        doneSteps = trainer.stepCount();
        while (trainer.stepCount() < r.steps()) {
            GrpoTrainer.StepOutcome o = trainer.step();
            int step = trainer.stepCount();
            Map<String, Double> row = new LinkedHashMap<>(o.metrics());
            if (evaluating && (step % r.evalEvery() == 0 || step == r.steps())) {
                row.putAll(evaluate(evaluator, heldOut));
            }
            metrics.write(step, row);
            badInARow = o.metrics().get("skipped_steps") > 0 && o.metrics().get("grad_norm").isNaN() ? badInARow + 1 : 0;
            if (badInARow >= r.maxBadSteps()) {
                throw new UserInputException("train: " + badInARow + " steps in a row had a NaN/Inf loss or gradient;"
                        + " stopping (lower optim.learning_rate or raise run.max_bad_steps)");
            }
            if (r.logSamplesEvery() > 0 && step % r.logSamplesEvery() == 0) {
                samples.write(step, o);
            }
            if (r.saveEvery() > 0 && step % r.saveEvery() == 0) {
                save(policy, modelDir, trainer, offset);
            }
            if (step == r.steps() || step % Math.max(1, r.steps() / 50) == 0) {
                writePlots(); // refreshed about 50 times a run
            }
            doneSteps = step;
            progress.step(step, o.metrics());
        }
    }

    private void writePlots() {
        try {
            Plots.write(folder.resolve(METRICS), folder.dir());
        } catch (IOException e) {
            throw new UserInputException(folder.dir() + ": cannot write the plots: " + e.getMessage());
        }
    }

    private void save(CausalLM policy, Path modelDir, GrpoTrainer trainer, double offset) {
        Path saved = Checkpoints.save(folder.dir(), policy, modelDir, trainer, config.toJson(), offset + seconds());
        kept = saved.getFileName().toString();
    }

    /** {@code final/}: the Hugging Face export, built under a temporary name and renamed, so it is whole or absent. */
    private void exportFinal(CausalLM policy, Path modelDir) throws IOException {
        Path target = folder.resolve(FINAL);
        Path tmp = AtomicFolder.prepare(target);
        try {
            ModelExporter.export(policy, modelDir, tmp, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            AtomicFolder.publish(tmp, target);
        } catch (IOException | UncheckedIOException e) {
            AtomicFolder.deleteQuietly(tmp);
            throw new UserInputException(target + ": cannot write the final export: " + AtomicFolder.reason(e));
        }
    }

    /** The before/after table, from the evaluation rows of step 0 and the last step, when both were evaluated. */
    private void report(MetricsLog metrics, double offset) throws IOException {
        Map<String, Double> before = evalKeys(metrics.read(0));
        Map<String, Double> after = evalKeys(metrics.read(config.run().steps()));
        if (before.isEmpty() || after.isEmpty()) {
            return;
        }
        RunReport report = new RunReport(before, after, offset + seconds(), config.run().steps());
        report.write(folder.resolve(REPORT));
        out.print(report.text());
    }

    private static Map<String, Double> evalKeys(Map<String, Double> row) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (row != null) {
            row.forEach((k, v) -> {
                if (k.startsWith("eval/")) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private Map<String, Double> evaluate(Evaluator evaluator, List<Problem> heldOut) {
        Map<String, Double> out = new LinkedHashMap<>();
        evaluator.evaluate(heldOut, config.sampling().params(config.run().seed()), config.run().evalPassK())
                .forEach((k, v) -> out.put("eval/" + k, v));
        return out;
    }
}
