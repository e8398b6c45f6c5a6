package io.zero4j.trainer.run;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.rewards.Choices;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.ChatPrompt;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.data.DatasetSplits;
import io.zero4j.trainer.distill.HttpTeacher;
import io.zero4j.trainer.distill.LocalTeacherScorer;
import io.zero4j.trainer.distill.TeacherLogRatio;
import io.zero4j.trainer.distill.TeacherFit;
import io.zero4j.trainer.distill.TeacherScorer;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.metrics.RunReport;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.RolloutBackend;
import io.zero4j.trainer.rollouts.RolloutBackends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A training run in its folder: resolve the device, make or find the base model, load the policy
 * and the data, build the {@link GrpoLoop} and the {@link RunHarness}, then run: the step-0
 * evaluation, the steps, a checkpoint of the last step, {@code final/} and the report. A resumed run
 * starts after its newest checkpoint (or from the start, keeping the step-0 evaluation, when it
 * stopped before its first) with the logs cut back to that step, so its metrics match a run never
 * stopped; a finished run resumed only writes what its end did not. A SIGTERM or Ctrl-C stops at
 * once and says what was kept; so does a failure.
 */
public final class TrainingRun {
    private final RunConfig config;
    private final String source;
    private final RunFolder folder;
    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos;

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
        train(Optional.empty(), null);
    }

    /** Continues the run in the folder; {@code changes} are the keys changed since it was saved. */
    public void resume(Map<String, JsonNode[]> changes) throws IOException {
        train(Checkpoints.latest(folder.dir()), changes);
    }

    /** @param changes null for a fresh run; on a resume, the keys changed since it was saved */
    private void train(Optional<Path> checkpoint, Map<String, JsonNode[]> changes) throws IOException {
        Device device = Devices.resolve(config.run().device(), source + ": key 'run.device'"); // before any pretraining
        Path modelDir = RunSetup.modelFolder(config, device, err);
        RunConfig prompted = ChatPrompt.resolve(config, modelDir); // what sampling sees; config.json keeps the key
        Checkpoints.Saved saved = checkpoint.map(Checkpoints::readState).orElse(null);
        int startStep = RunSetup.startStep(saved, config, source);
        Checkpoints.removeStaleTemporaries(folder.dir());
        RewardSet rewards = config.rewardSet();
        LoraConfig lora = config.model().lora();
        boolean referenceNeeded = config.algorithm().beta() > 0;
        try (Policy policy = Policy.load(checkpoint.orElse(modelDir), modelDir, device, lora, config.run().seed());
             CausalLM loaded = referenceNeeded && !lora.enabled() ? ModelLoader.load(modelDir, device, DataType.FLOAT32) : null) {
            CausalLM reference = referenceNeeded && lora.enabled() ? policy.model().base() : loaded; // LoRA: the frozen base
            RunSetup.checkContext(config, policy.model(), source);
            DatasetSplits data = DatasetSplits.read(config.dataset(), rewards.requires());
            try (RolloutBackend backend = RolloutBackends.open(prompted, source, policy, rewards, modelDir, folder.dir());
                 TeacherScorer teacher = teacherScorer(device, policy)) {
                GrpoLoop loop = GrpoLoop.of(prompted, policy, reference, backend, data.train(),
                        teacher == null ? null : new TeacherLogRatio(teacher));
                run(policy, loop, modelDir, data, rewards, checkpoint, saved, changes, device, startStep);
            }
        }
    }

    /** On-policy distillation's teacher (null for GRPO): a folder loaded here, or an endpoint scoring through echo. */
    private TeacherScorer teacherScorer(Device device, Policy student) {
        if (config.algorithm().kind() != RunConfig.Algorithm.Kind.ON_POLICY_DISTILL) {
            return null;
        }
        RunConfig.Teacher t = config.teacher();
        if (t.url() != null) {
            return new HttpTeacher(t, System.getenv(), 500, source);
        }
        TeacherFit.check(Path.of(t.model()), student, config.sampling(), source);
        return new LocalTeacherScorer(ModelLoader.load(Path.of(t.model()), device, DataType.FLOAT32), config.optim().microBatchSize());
    }

    private void run(Policy policy, GrpoLoop loop, Path modelDir, DatasetSplits data, RewardSet rewards,
                     Optional<Path> checkpoint, Checkpoints.Saved saved, Map<String, JsonNode[]> changes, Device device,
                     int startStep)
            throws IOException {
        double offset = saved == null ? 0 : saved.elapsedSeconds(); // training seconds of earlier processes
        if (saved != null) {
            loop.restore(saved.state());
            Checkpoints.restoreOptimizer(checkpoint.get(), loop.optimizer(), saved.state().optimizerSteps());
        }
        RunHarness harness = harness(policy, modelDir, loop, data, rewards, offset);
        String method = Choices.name(config.algorithm().kind()); // as the config names it: grpo, on_policy_distill
        harness.begin(startStep, checkpoint.map(p -> p.getFileName().toString()).orElse(null));
        RunSetup.commit(folder, config, changes, startStep, err); // every input is checked: from here on the folder holds this run
        announce(device, loop, saved != null, startStep);
        new StopNotice(err, harness).around(() -> {
            harness.evaluateFirst();
            loop.run(config.run().steps(), config.run().maxBadSteps(), harness);
            harness.finish(loop.state(), policy.model(), modelDir, config, method);
        });
        out.println("trained " + loop.state().step() + " steps; metrics in " + folder.resolve(RunHarness.METRICS)
                + ", model in " + folder.resolve(RunHarness.FINAL));
        RunReport.write(harness.metrics(), harness.doneSteps(), method, offset + seconds(), folder.dir(), out);
    }

    private RunHarness harness(Policy policy, Path modelDir, GrpoLoop loop, DatasetSplits data, RewardSet rewards,
                               double offset) {
        RunConfig.Run r = config.run();
        String template = ChatPrompt.resolve(config, modelDir).prompt().template(); // as sampling sees it
        Evaluator evaluator = new Evaluator(policy, rewards, template, config.sampling().maxPromptLength(), 64);
        boolean evaluating = r.evalEvery() > 0 && !data.heldOut().isEmpty();
        return new RunHarness(folder, r, evaluating
                ? () -> evaluator.evaluate(data.heldOut(), config.sampling().params(r.seed()), r.evalPassK()) : null,
                state -> Checkpoints.save(folder.dir(), policy.model(), modelDir, state, loop.optimizer(), config.toJson(),
                        offset + seconds()), err);
    }

    private void announce(Device device, GrpoLoop loop, boolean resumed, int startStep) {
        err.println("zero4j: training on " + Devices.describe(device) + " (run.device: " + config.run().device() + ")");
        if (resumed) {
            err.println("zero4j: resuming " + folder.dir() + " after step " + startStep);
        }
        if (loop.ratioIsExactlyOne()) {
            err.println("zero4j: each generation batch makes one optimizer step, so the policy ratio is exactly 1 and the"
                    + " logged loss is ~0 by construction; its gradient is A * grad log pi, and learning shows in the rewards");
        }
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
