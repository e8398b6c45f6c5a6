package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.ChatPrompt;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemSet;
import io.zero4j.trainer.distill.HttpTeacher;
import io.zero4j.trainer.distill.LocalTeacher;
import io.zero4j.trainer.distill.Teacher;
import io.zero4j.trainer.distill.TraceCollection;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.run.DistillComparison;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./zero4j distill CONFIG}: collects teacher traces into {@code run.output_dir}. Run again on
 * the same folder with the same settings, it continues after the last whole problem. With a
 * {@code comparison} in the config, it then trains the student each way named and prints the table.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, description = {
    "Collect reasoning traces from a teacher (teacher.model: a model folder; teacher.url: an OpenAI-compatible",
    "endpoint), keep the correct, well-formed ones (distill.keep_rewards), and write them with their provenance.",
    "Run again on the same run.output_dir, it continues where it stopped. With comparison.* set, the student is then",
    "trained by GRPO, SFT on the traces and on-policy distillation for the same time, and one table compares them."})
final class DistillCommand implements Callable<Integer> {
    /** The settings a continued collection must share with the one it continues. */
    private static final List<String> SAME_ON_RESUME = List.of("teacher", "distill", "dataset", "prompt", "rewards", "sampling");
    private final PrintStream out;
    private final PrintStream err;

    @Parameters(paramLabel = "CONFIG", description = "the run config (teacher, distill, dataset, prompt, rewards, sampling)")
    private Path config;
    @Mixin
    private SharedOptions.Overrides overrides = new SharedOptions.Overrides();
    @Option(names = "--overwrite", description = "clear run.output_dir first instead of continuing")
    private boolean overwrite;

    DistillCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try {
            return collect();
        } catch (IOException e) {
            throw new UserInputException(config + ": " + e.getMessage());
        }
    }

    private int collect() throws IOException {
        RunConfig c = RunConfigLoader.load(config, overrides.values);
        RunConfig.Teacher t = c.teacher();
        if (t.model() == null && t.url() == null) {
            throw new UserInputException(config + ": key 'teacher': set teacher.model (a model folder) or teacher.url");
        }
        if (t.url() != null && c.prompt().useChatTemplate()) {
            throw new UserInputException(config + ": key 'prompt.use_chat_template': not with teacher.url, whose chat"
                    + " template is the endpoint's; write the rendered prompt in prompt.template");
        }
        Path model = t.url() != null ? null : Inputs.existingFolder("distill", "teacher.model", Path.of(t.model()));
        RunConfig prompted = model == null ? c : ChatPrompt.resolve(c, model); // the teacher's chat template, when asked
        List<Problem> problems = ProblemSet.read(Path.of(c.dataset().path()), c.dataset().problemField(),
                c.dataset().answerField(), c.rewardSet().requires());
        if (c.distill().maxProblems() > 0 && problems.size() > c.distill().maxProblems()) {
            problems = problems.subList(0, c.distill().maxProblems());
        }
        Path dir = Path.of(c.run().outputDir());
        DistillComparison comparison = c.comparison().enabled()
                ? new DistillComparison(c, dir, dir.resolve(TraceCollection.TRACES), out, err) : null; // checked before collecting
        boolean resuming = !overwrite && Files.exists(dir.resolve(TraceCollection.COLLECTION));
        try (RunFolder folder = resuming ? RunFolder.existing(dir) : RunFolder.fresh(dir, overwrite)) {
            if (resuming) {
                checkSameSettings(c, folder.resolve(RunFolder.CONFIG));
            } else {
                ModelExporter.writeJson(folder.resolve(RunFolder.CONFIG), c.toJson());
            }
            TraceCollection.Summary s;
            if (model == null) {
                try (Teacher teacher = new HttpTeacher(t, System.getenv(), 500)) {
                    s = TraceCollection.run(c, teacher, problems, dir, err);
                }
            } else {
                try (Policy policy = Policy.load(model, Devices.resolve(c.run().device(), config + ": key 'run.device'"));
                     Teacher teacher = new LocalTeacher(model, policy, 64)) {
                    s = TraceCollection.run(prompted, teacher, problems, dir, err);
                }
            }
            out.printf("distilled %d problems (%d collected now, after %d), %d samples, %d kept (%.1f%%) in %.0fs; traces in %s%n",
                    s.problems(), s.problems() - s.resumedAfter(), s.resumedAfter(), s.samples(), s.kept(),
                    s.samples() == 0 ? 0.0 : 100.0 * s.kept() / s.samples(), s.seconds(), dir.resolve(TraceCollection.TRACES));
            if (comparison != null) {
                comparison.run();
            }
        }
        return 0;
    }

    private void checkSameSettings(RunConfig c, Path saved) {
        JsonNode before = RunConfigLoader.readObject(saved, "the collection's saved config");
        JsonNode now = RunConfigLoader.asWritten(c.toJson());
        for (String key : SAME_ON_RESUME) {
            if (!before.path(key).equals(now.path(key))) {
                throw new UserInputException(config + ": key '" + key + "' differs from the collection in " + saved.getParent()
                        + " (" + before.path(key) + "); continue it with the same settings, or start over with --overwrite");
            }
        }
        if (before.path("run").path("seed").asLong() != c.run().seed()) {
            throw new UserInputException(config + ": key 'run.seed' differs from the collection in " + saved.getParent()
                    + "; continue it with the same seed, or start over with --overwrite");
        }
    }
}
