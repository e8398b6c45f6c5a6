package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.ChatPrompt;
import io.zero4j.trainer.config.CommandKeys;
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
import java.util.stream.Stream;
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
    /**
     * The settings that made the samples, which a continued collection must share with the one it
     * continues; how the teacher is asked (rate, concurrency, retries, timeout, key) and how many
     * problems are collected ({@code distill.max_problems}) may change.
     */
    private static final List<String> SAME_ON_RESUME = List.of("teacher.model", "teacher.url", "teacher.served_model",
            "distill.samples_per_problem", "distill.keep_rewards", "distill.keep_min", "dataset", "prompt", "rewards",
            "sampling", "run.seed");
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
        CommandKeys.check(c, "distill", config.toString());
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
        if (t.url() != null) {
            HttpTeacher.apiKey(t, System.getenv(), config.toString()); // checked before the folder is taken
        }
        boolean resuming = !overwrite && isCollection(dir);
        try (RunFolder folder = resuming ? RunFolder.existing(dir, "distill") : RunFolder.fresh(dir, overwrite, null)) {
            if (resuming) {
                checkSameSettings(c, folder.resolve(RunFolder.CONFIG));
            } else {
                ModelExporter.writeJson(folder.resolve(RunFolder.CONFIG), c.toJson());
            }
            TraceCollection.Summary s;
            if (model == null) {
                try (Teacher teacher = new HttpTeacher(t, System.getenv(), 500, config.toString())) {
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

    /**
     * Whether {@code dir} holds a collection to continue: its {@code collection.jsonl}, or only the
     * config it wrote before its first problem was done (another command's run is no collection).
     */
    private static boolean isCollection(Path dir) throws IOException {
        if (Files.exists(dir.resolve(TraceCollection.COLLECTION))) {
            return true;
        }
        if (!Files.isRegularFile(dir.resolve(RunFolder.CONFIG))) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).allMatch(n -> n.equals(RunFolder.CONFIG) || n.equals(RunFolder.LOCK));
        }
    }

    private void checkSameSettings(RunConfig c, Path saved) {
        JsonNode before = RunConfigLoader.readObject(saved, "the collection's saved config");
        JsonNode now = RunConfigLoader.asWritten(c.toJson());
        for (String key : SAME_ON_RESUME) {
            JsonNode was = RunConfigLoader.at(before, key);
            if (!was.equals(RunConfigLoader.at(now, key))) {
                throw new UserInputException(config + ": key '" + key + "' differs from the collection in " + saved.getParent()
                        + " (" + was + "); continue it with the same settings, or start over with --overwrite");
            }
        }
    }
}
