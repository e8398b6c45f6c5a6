package io.zero4j.trainer.run;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.Devices;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.ChatPrompt;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemSet;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.metrics.RunReport;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.sft.SftLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A supervised fine-tuning run in its folder, with GRPO's machinery around the steps: the same
 * {@link RunHarness} (held-out evaluation of {@code dataset.eval_path} with the run's rewards at step
 * 0, every {@code eval_every} steps and at the end; metrics, plots, checkpoints, {@code final/}),
 * the same checkpoints and resume ({@code ./zero4j sft --resume}), and the same report.
 */
public final class SftRun {
    /** How the report and the model card name this training. */
    private static final String METHOD = "sft";

    private final RunConfig config;
    private final String source;
    private final RunFolder folder;
    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos;

    public SftRun(RunConfig config, String source, RunFolder folder, PrintStream out, PrintStream err, long startNanos) {
        this.config = config;
        this.source = source;
        this.folder = folder;
        this.out = out;
        this.err = err;
        this.startNanos = startNanos;
    }

    /**
     * A fresh run ({@code changes} null: the folder is empty), or the run in the folder continued
     * after its newest checkpoint, with {@code changes} the keys changed since it was saved.
     */
    public void run(Map<String, JsonNode[]> changes) throws IOException {
        Device device = Devices.resolve(config.run().device(), source + ": key 'run.device'");
        Path modelDir = RunSetup.modelFolder(config, device, err);
        Optional<Path> checkpoint = changes != null ? Checkpoints.latest(folder.dir()) : Optional.empty();
        Checkpoints.Saved saved = checkpoint.map(Checkpoints::readState).orElse(null);
        int startStep = RunSetup.startStep(saved, config, source);
        Checkpoints.removeStaleTemporaries(folder.dir());
        RewardSet rewards = config.rewardSet();
        try (Policy policy = Policy.load(checkpoint.orElse(modelDir), modelDir, device, config.model().lora(), config.run().seed())) {
            RunSetup.checkContext(config, policy.model(), source);
            SftLoop loop = SftLoop.of(config, policy, Path.of(config.dataset().path()));
            double offset = saved == null ? 0 : saved.elapsedSeconds();
            if (saved != null) {
                loop.restore(saved.state());
                Checkpoints.restoreOptimizer(checkpoint.get(), loop.optimizer(), saved.state().optimizerSteps());
            }
            RunHarness harness = harness(policy, modelDir, loop, heldOut(rewards), rewards, offset);
            harness.begin(startStep, checkpoint.map(p -> p.getFileName().toString()).orElse(null));
            RunSetup.commit(folder, config, changes, startStep, err); // every input is checked: the folder holds this run
            err.println("zero4j: sft on " + Devices.describe(device) + ": " + loop.dataSummary());
            new StopNotice(err, harness).around(() -> {
                harness.evaluateFirst();
                loop.run(config.run().steps(), config.run().maxBadSteps(), harness);
                harness.finish(loop.state(), policy.model(), modelDir, config, METHOD);
            });
            out.println("fine-tuned " + loop.state().step() + " steps; metrics in " + folder.resolve(RunHarness.METRICS)
                    + ", model in " + folder.resolve(RunHarness.FINAL));
            RunReport.write(harness.metrics(), harness.doneSteps(), METHOD, offset + seconds(), folder.dir(), out);
        }
    }

    private List<Problem> heldOut(RewardSet rewards) {
        RunConfig.Dataset d = config.dataset();
        if (d.evalPath() == null || config.run().evalEvery() <= 0) {
            return List.of();
        }
        List<Problem> problems = ProblemSet.read(Path.of(d.evalPath()), d.problemField(), d.answerField(), rewards.requires());
        return problems.subList(0, Math.min(problems.size(), d.evalSize())); // as train reads eval_size: 0 is none
    }

    private RunHarness harness(Policy policy, Path modelDir, SftLoop loop, List<Problem> heldOut, RewardSet rewards,
                               double offset) {
        RunConfig.Run r = config.run();
        String template = ChatPrompt.resolve(config, modelDir).prompt().template(); // the student's chat template, if asked
        Evaluator evaluator = new Evaluator(policy, rewards, template, config.sampling().maxPromptLength(), 64);
        if (r.evalEvery() > 0 && config.dataset().evalPath() == null) {
            throw new UserInputException(source + ": key 'dataset.eval_path': run.eval_every > 0 needs held-out problems"
                    + " (the traces in dataset.path are trained on)");
        }
        return new RunHarness(folder, r, heldOut.isEmpty() ? null
                : () -> evaluator.evaluate(heldOut, config.sampling().params(r.seed()), r.evalPassK()),
                state -> Checkpoints.save(folder.dir(), policy.model(), modelDir, state, loop.optimizer(), config.toJson(),
                        offset + seconds()), err).resumedBy("sft");
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
