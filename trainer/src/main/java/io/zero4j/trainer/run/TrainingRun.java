package io.zero4j.trainer.run;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.rewards.Choices;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.checkpoint.Checkpoints;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.ChatPrompt;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.DatasetSplits;
import io.zero4j.trainer.distill.HttpTeacher;
import io.zero4j.trainer.distill.LocalTeacherScorer;
import io.zero4j.trainer.distill.TeacherLogRatio;
import io.zero4j.trainer.distill.TeacherScorer;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.metrics.RunReport;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.RolloutBackend;
import io.zero4j.trainer.rollouts.RolloutBackends;
import io.zero4j.trainer.toy.BaseModels;
import io.zero4j.trainer.toy.PretrainConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** Keys changed on resume, one line per resume. */
    public static final String RESUMES = "resumes.jsonl";

    private final RunConfig config;
    private final String source;
    private final RunFolder folder;
    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos;
    private String promptTemplate; // prompt.template, wrapped by the model's chat template when use_chat_template

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
        Device device = Devices.resolve(config.run().device(), source + ": key 'run.device'"); // before any pretraining
        Path modelDir = config.model().path() != null ? Path.of(config.model().path())
                : BaseModels.ensure(PretrainConfigLoader.load(Path.of(config.model().pretrain()), List.of()),
                        config.model().pretrain(), device, err);
        RunConfig prompted = ChatPrompt.resolve(config, modelDir); // what sampling sees; config.json keeps the key
        promptTemplate = prompted.prompt().template();
        Checkpoints.Saved saved = checkpoint.map(Checkpoints::readState).orElse(null);
        int startStep = saved == null ? 0 : saved.state().step();
        if (startStep > config.run().steps()) {
            throw new UserInputException(source + ": key 'run.steps': " + config.run().steps() + " is below the step of the"
                    + " newest checkpoint (" + startStep + "); raise it with --set run.steps=N");
        }
        Checkpoints.removeStaleTemporaries(folder.dir());
        RewardSet rewards = config.rewardSet();
        LoraConfig lora = config.model().lora();
        boolean referenceNeeded = config.algorithm().beta() > 0;
        try (Policy policy = Policy.load(checkpoint.orElse(modelDir), modelDir, device, lora, config.run().seed());
             CausalLM loaded = referenceNeeded && !lora.enabled() ? ModelLoader.load(modelDir, device, DataType.FLOAT32) : null) {
            CausalLM reference = referenceNeeded && lora.enabled() ? policy.model().base() : loaded; // LoRA: the frozen base
            checkContext(policy.model());
            DatasetSplits data = DatasetSplits.read(config.dataset(), rewards.requires());
            try (RolloutBackend backend = RolloutBackends.open(prompted, source, policy, rewards, modelDir, folder.dir());
                 TeacherScorer teacher = teacherScorer(device)) {
                GrpoLoop loop = GrpoLoop.of(prompted, policy, reference, backend, data.train(),
                        teacher == null ? null : new TeacherLogRatio(teacher));
                run(policy, loop, modelDir, data, rewards, checkpoint, saved, commit, device, startStep);
            }
        }
    }

    /** On-policy distillation's teacher (null for GRPO): a folder loaded here, or an endpoint scoring through echo. */
    private TeacherScorer teacherScorer(Device device) {
        if (config.algorithm().kind() != RunConfig.Algorithm.Kind.ON_POLICY_DISTILL) {
            return null;
        }
        RunConfig.Teacher t = config.teacher();
        if (t.url() != null) {
            return new HttpTeacher(t, System.getenv(), 500);
        }
        return new LocalTeacherScorer(ModelLoader.load(Path.of(t.model()), device, DataType.FLOAT32),
                config.optim().microBatchSize());
    }

    private void run(Policy policy, GrpoLoop loop, Path modelDir, DatasetSplits data, RewardSet rewards,
                     Optional<Path> checkpoint, Checkpoints.Saved saved, Commit commit, Device device, int startStep)
            throws IOException {
        double offset = saved == null ? 0 : saved.elapsedSeconds(); // training seconds of earlier processes
        if (saved != null) {
            loop.restore(saved.state());
            Checkpoints.restoreOptimizer(checkpoint.get(), loop.optimizer(), saved.state().optimizerSteps());
        }
        RunHarness harness = harness(policy, modelDir, loop, data, rewards, offset);
        String method = Choices.name(config.algorithm().kind()); // as the config names it: grpo, on_policy_distill
        harness.begin(startStep, checkpoint.map(p -> p.getFileName().toString()).orElse(null));
        commit.run(startStep); // every input is checked: from here on the folder holds this run
        announce(device, loop, saved != null, startStep);
        new StopNotice(err, harness).around(() -> {
            harness.evaluateFirst();
            loop.run(config.run().steps(), config.run().maxBadSteps(), harness);
            harness.evaluateLastIfMissing();
            if (Checkpoints.latest(folder.dir()).map(p -> !p.equals(Checkpoints.dirFor(folder.dir(), loop.state().step())))
                    .orElse(true)) {
                harness.save(loop.state());
            }
            harness.writePlots(); // once more: a resumed run that had nothing left to train refreshes them too
            harness.exportFinal(policy.model(), modelDir, harness.modelCard(config, method));
        });
        out.println("trained " + loop.state().step() + " steps; metrics in " + folder.resolve(RunHarness.METRICS)
                + ", model in " + folder.resolve(RunHarness.FINAL));
        RunReport.write(harness.metrics(), harness.doneSteps(), method, offset + seconds(), folder.dir(), out);
    }

    private RunHarness harness(Policy policy, Path modelDir, GrpoLoop loop, DatasetSplits data, RewardSet rewards,
                               double offset) {
        RunConfig.Run r = config.run();
        Evaluator evaluator = new Evaluator(policy, rewards, promptTemplate, config.sampling().maxPromptLength(), 64);
        boolean evaluating = r.evalEvery() > 0 && !data.heldOut().isEmpty();
        return new RunHarness(folder, r, evaluating
                ? () -> evaluator.evaluate(data.heldOut(), config.sampling().params(r.seed()), r.evalPassK()) : null,
                state -> Checkpoints.save(folder.dir(), policy.model(), modelDir, state, loop.optimizer(), config.toJson(),
                        offset + seconds()), err);
    }

    private void checkContext(CausalLM policy) {
        int context = policy.config().maxPositionEmbeddings();
        RunConfig.Sampling s = config.sampling();
        if (s.maxPromptLength() + s.maxCompletionLength() > context) {
            throw new UserInputException(source + ": key 'sampling.max_completion_length': max_prompt_length ("
                    + s.maxPromptLength() + ") + max_completion_length (" + s.maxCompletionLength()
                    + ") exceeds the model's context of " + context);
        }
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
