package io.zero4j.trainer.cli;

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
import io.zero4j.trainer.checkpoint.Checkpoints;
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
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./zero4j train CONFIG [--set key=value]... [--resume RUN_DIR]}: GRPO from a run config.
 * Writes the resolved config, {@code metrics.jsonl}, {@code samples.jsonl} and checkpoints into the
 * run folder, and the final Hugging Face export into {@code RUN/final}.
 */
final class TrainCommand {
    private TrainCommand() {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) {
        Args args = new Args("train", argv, Set.of("set", "resume"), Set.of());
        if (args.positional().size() > 1) {
            throw new UserInputException("train: give one config file: ./zero4j train [CONFIG] [--set key=value]... [--resume RUN_DIR]");
        }
        String source = args.positional().isEmpty() ? RunConfigLoader.DEFAULT_CONFIG : args.positional().get(0);
        RunConfig config = RunConfigLoader.load(Path.of(source), args.all("set"));
        Path runDir = Path.of(args.string("resume", config.run().outputDir()));
        try {
            train(config, source, runDir, args.string("resume", null) != null, out, err, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param startNanos when the command started, for the report's wall time (pretraining included) */
    static void train(RunConfig config, String source, Path runDir, boolean resume, PrintStream out, PrintStream err,
                      long startNanos) throws IOException {
        Path modelDir = config.model().path() != null ? Path.of(config.model().path())
                : BaseModels.ensure(PretrainConfigLoader.load(Path.of(config.model().pretrain()), List.of()),
                        config.model().pretrain(), err);
        Device device = Devices.parse(config.run().device(), source + ": run.device");
        Optional<Path> checkpoint = resume ? Checkpoints.latest(runDir) : Optional.empty();
        if (resume && checkpoint.isEmpty()) {
            throw new UserInputException("train: --resume " + runDir + ": no complete checkpoint in " + runDir.resolve("checkpoints"));
        }
        Files.createDirectories(runDir);
        Checkpoints.removeStaleTemporaries(runDir);
        ModelExporter.writeJson(runDir.resolve("config.json"), config.toJson());
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir);
             CausalLM policy = ModelLoader.load(checkpoint.orElse(modelDir), device, DataType.FLOAT32);
             CausalLM reference = config.algorithm().beta() > 0 ? ModelLoader.load(modelDir, device, DataType.FLOAT32) : null) {
            int context = policy.config().maxPositionEmbeddings();
            if (config.sampling().maxPromptLength() + config.sampling().maxCompletionLength() > context) {
                throw new UserInputException(source + ": key 'sampling.max_completion_length': max_prompt_length ("
                        + config.sampling().maxPromptLength() + ") + max_completion_length ("
                        + config.sampling().maxCompletionLength() + ") exceeds the model's context of " + context);
            }
            Set<Integer> eos = new LinkedHashSet<>(policy.config().eosTokenIds());
            eos.addAll(tokenizer.eosIds());
            List<Problem> rows = ProblemSet.shuffled(ProblemSet.read(Path.of(config.dataset().path()),
                    config.dataset().problemField(), config.dataset().answerField()), config.dataset().shuffleSeed());
            int held = config.dataset().evalPath() == null ? Math.min(config.dataset().evalSize(), rows.size() - 1) : 0;
            List<Problem> train = rows.subList(held, rows.size());
            List<Problem> heldOut = rows.subList(0, held);
            if (config.dataset().evalPath() != null) {
                List<Problem> evalRows = ProblemSet.read(Path.of(config.dataset().evalPath()), config.dataset().problemField(),
                        config.dataset().answerField());
                heldOut = evalRows.subList(0, Math.min(config.dataset().evalSize(), evalRows.size()));
            }
            RewardSet rewards = rewardSet(config, source);
            GrpoTrainer trainer = new GrpoTrainer(config, policy, reference, tokenizer::encode, ids -> tokenizer.decode(ids, false),
                    eos, rewards, train);
            MetricsLog metrics = new MetricsLog(runDir.resolve("metrics.jsonl"));
            SampleLog samples = new SampleLog(runDir.resolve("samples.jsonl"));
            if (checkpoint.isPresent()) {
                GrpoTrainer.State state = Checkpoints.readState(checkpoint.get());
                trainer.restore(state, Checkpoints.readOptimizer(checkpoint.get()));
                metrics.truncateAfter(state.step());
                samples.truncateAfter(state.step());
                err.println("zero4j: resuming " + runDir + " after step " + state.step());
            } else {
                metrics.truncateAfter(-1); // a fresh run in an old folder starts a fresh log
                samples.truncateAfter(-1);
            }
            Evaluator evaluator = new Evaluator(policy, tokenizer::encode, ids -> tokenizer.decode(ids, false), eos, rewards,
                    config.prompt().template(), config.sampling().maxPromptLength(), 64);
            boolean evaluating = config.run().evalEvery() > 0 && !heldOut.isEmpty();
            Map<String, Double> before = checkpoint.isPresent() ? metrics.read(0) : null; // a resumed run keeps its first evaluation
            Map<String, Double> after = null;
            if (evaluating && checkpoint.isEmpty()) {
                before = evaluate(evaluator, heldOut, config);
                metrics.write(0, before);
            }
            if (config.algorithm().numIterations() == 1) {
                err.println("zero4j: num_iterations = 1: the policy ratio is exactly 1, so the logged loss is ~0 by"
                        + " construction; its gradient is A * grad log pi, and learning shows in the rewards");
            }
            Progress progress = new Progress(err, config.run().steps());
            JsonNode resolved = config.toJson();
            int badInARow = 0;
            while (trainer.stepCount() < config.run().steps()) {
                GrpoTrainer.StepOutcome o = trainer.step();
                int step = trainer.stepCount();
                Map<String, Double> row = new LinkedHashMap<>(o.metrics());
                if (evaluating && (step % config.run().evalEvery() == 0 || step == config.run().steps())) {
                    after = evaluate(evaluator, heldOut, config);
                    row.putAll(after);
                }
                metrics.write(step, row);
                badInARow = o.metrics().get("skipped_steps") > 0 && o.metrics().get("grad_norm").isNaN() ? badInARow + 1 : 0;
                if (badInARow >= config.run().maxBadSteps()) {
                    throw new UserInputException("train: " + badInARow + " steps in a row had a NaN/Inf loss or gradient;"
                            + " stopping (lower optim.learning_rate or raise run.max_bad_steps)");
                }
                if (config.run().logSamplesEvery() > 0 && step % config.run().logSamplesEvery() == 0) {
                    samples.write(step, o);
                }
                if (config.run().saveEvery() > 0 && step % config.run().saveEvery() == 0) {
                    Checkpoints.save(runDir, policy, modelDir, trainer, resolved);
                }
                if (step == config.run().steps() || step % Math.max(1, config.run().steps() / 50) == 0) {
                    Plots.write(runDir.resolve("metrics.jsonl"), runDir); // refreshed about 50 times a run
                }
                progress.step(step, o.metrics());
            }
            if (Checkpoints.latest(runDir).map(p -> !p.equals(Checkpoints.dirFor(runDir, trainer.stepCount()))).orElse(true)) {
                Checkpoints.save(runDir, policy, modelDir, trainer, resolved);
            }
            ModelExporter.export(policy, modelDir, runDir.resolve("final"), DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            out.println("trained " + trainer.stepCount() + " steps; metrics in " + runDir.resolve("metrics.jsonl")
                    + ", model in " + runDir.resolve("final"));
            if (before != null && after != null) {
                RunReport report = new RunReport(before, after, (System.nanoTime() - startNanos) / 1e9, trainer.stepCount());
                report.write(runDir.resolve("report.json"));
                out.print(report.text());
            }
        }
    }

    private static Map<String, Double> evaluate(Evaluator evaluator, List<Problem> heldOut, RunConfig config) {
        Map<String, Double> out = new LinkedHashMap<>();
        evaluator.evaluate(heldOut, config.sampling().maxCompletionLength(), config.sampling().stop(), config.run().evalPassK(),
                config.sampling().temperature(), config.run().seed()).forEach((k, v) -> out.put("eval/" + k, v));
        return out;
    }

    static RewardSet rewardSet(RunConfig config, String source) {
        List<RewardSet.Weighted> functions = new ArrayList<>();
        for (RunConfig.Reward r : config.rewards()) {
            Map<String, String> params = new LinkedHashMap<>(r.params() == null ? Map.of() : r.params());
            if (r.name().equals("format")) {
                params.putIfAbsent("think_prefilled", String.valueOf(config.prompt().thinkPrefilled()));
            }
            if (r.name().equals("overlong")) {
                params.putIfAbsent("max_length", String.valueOf(config.sampling().maxCompletionLength()));
            }
            try {
                functions.add(new RewardSet.Weighted(io.zero4j.rewards.Rewards.create(r.name(), params), r.weight()));
            } catch (IllegalArgumentException e) {
                throw new UserInputException(source + ": key 'rewards': " + e.getMessage());
            }
        }
        return new RewardSet(functions, RewardSet.DEFAULT_TIMEOUT_MILLIS);
    }

    /** A bar redrawn in place on a terminal; a plain line every tenth of the run in a pipe. */
    private static final class Progress {
        private final PrintStream err;
        private final int total;
        private final boolean terminal = System.console() != null;
        private final long start = System.nanoTime();

        Progress(PrintStream err, int total) {
            this.err = err;
            this.total = total;
        }

        void step(int step, Map<String, Double> m) {
            String line = String.format("step %d/%d  reward %.3f  len %.0f  %.1fs", step, total, m.get("reward"),
                    m.get("completions/mean_length"), (System.nanoTime() - start) / 1e9);
            if (terminal) {
                int filled = 30 * step / total;
                err.print("\r[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + line + (step == total ? "\n" : ""));
            } else if (step == total || step % Math.max(1, total / 10) == 0) {
                err.println("zero4j: " + line);
            }
        }
    }
}
