package io.zero4j.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.Choices;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.CommandKeys;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.metrics.RunReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison {@code ./zero4j distill} ends with when its config names arms: the same student
 * (the distill config's {@code model.path} or {@code model.pretrain}, put in each arm's; an arm's
 * {@code model.lora} stays its own), evaluated on the same held-out problems by the same rewards,
 * trained for each step-time budget of {@code comparison.train_seconds} by GRPO (rule rewards), by
 * SFT on the traces just collected, and by on-policy distillation against the collection's teacher.
 * Each arm and budget is a run of its own in {@code RUN/comparison/METHOD-Ns} (its metrics, plots,
 * report and export); one whose report is there already, under the same settings, is not run
 * again. The table is printed and written as {@code comparison.json}.
 */
public final class DistillComparison {
    public static final String DIR = "comparison";
    public static final String FILE = "comparison.json";

    /** One way of training the student for one time budget: its method, how the table names it, its run config. */
    private record Arm(String method, String label, String config, double seconds) {
        /** {@code RUN/comparison/METHOD-Ns}. */
        String folderName() {
            return method + "-" + trim(seconds) + "s";
        }
    }

    /** An arm's outcome, read back from its run's report. */
    private record Outcome(Arm arm, RunReport report) {
    }

    private final RunConfig distill;
    private final Path runDir;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<Arm, RunConfig> configs = new LinkedHashMap<>();

    /**
     * Reads and checks every arm's config, before any trace is collected, so a mistake in one is
     * found at once; {@code traces} is the file the SFT arm will train on.
     */
    public DistillComparison(RunConfig distill, Path runDir, Path traces, PrintStream out, PrintStream err) {
        this.distill = distill;
        this.runDir = runDir;
        this.out = out;
        this.err = err;
        RunConfig.Comparison c = distill.comparison();
        List<Arm> arms = new ArrayList<>();
        for (double seconds : c.trainSeconds()) {
            add(arms, "grpo", "GRPO from the student's base", c.grpo(), seconds);
            add(arms, "sft", "SFT on the teacher's traces", c.sft(), seconds);
            add(arms, "on_policy_distill", "on-policy distillation", c.onPolicyDistill(), seconds);
        }
        for (Arm arm : arms) {
            configs.put(arm, armConfig(arm, traces));
        }
        checkSameStudentAndEvaluation();
    }

    /** Runs (or reuses) every arm, then prints and writes the table. */
    public void run() throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<Arm, RunConfig> e : configs.entrySet()) {
            outcomes.add(new Outcome(e.getKey(), runOrReuse(e.getKey(), e.getValue())));
        }
        String table = table(outcomes, configs.values().iterator().next());
        out.print(table);
        write(outcomes, table);
    }

    private static void add(List<Arm> arms, String method, String label, String config, double seconds) {
        if (config != null) {
            arms.add(new Arm(method, label, config, seconds));
        }
    }

    /** The arm's config, with this comparison's budget, folder, traces (SFT) and teacher (on-policy distillation). */
    private RunConfig armConfig(Arm arm, Path traces) {
        Path file = Path.of(arm.config());
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("key 'comparison." + arm.method() + "': '" + file + "' is not a run config file");
        }
        List<String> sets = new ArrayList<>(List.of("run.output_dir=" + quoted(armDir(arm).toString()),
                "run.max_train_seconds=" + arm.seconds()));
        JsonNode student = distill.toJson().path("model"); // the distill config's model is the student of every arm
        sets.addAll(List.of("model.path=" + student.path("path"), "model.pretrain=" + student.path("pretrain")));
        if (arm.method().equals("sft")) {
            sets.add("dataset.path=" + quoted(traces.toString()));
        }
        if (arm.method().equals("on_policy_distill")) { // the teacher whose traces the SFT arm learns from
            distill.toJson().path("teacher").fields().forEachRemaining(e -> sets.add("teacher." + e.getKey() + "=" + e.getValue()));
        }
        RunConfig config = RunConfigLoader.resolve(RunConfigLoader.readObject(file, "a run config"), sets, file.toString());
        CommandKeys.check(config, arm.method().equals("sft") ? "sft" : "train", file.toString());
        if (!arm.method().equals("sft")) {
            RunConfigLoader.checkFiles(config, file.toString()); // the SFT arm's traces are not collected yet
        }
        if (!arm.method().equals("sft") && !Choices.name(config.algorithm().kind()).equals(arm.method())) {
            throw new UserInputException(file + ": key 'algorithm.kind': the comparison's " + arm.method() + " arm needs "
                    + arm.method() + ", got " + Choices.name(config.algorithm().kind()));
        }
        if (config.run().evalEvery() <= 0 || config.dataset().evalPath() == null || config.dataset().evalSize() <= 0) {
            throw new UserInputException(file + ": key 'run.eval_every': a comparison arm is evaluated before and after,"
                    + " so it needs run.eval_every > 0, dataset.eval_path and dataset.eval_size > 0");
        }
        return config;
    }

    private static String quoted(String text) {
        return RunConfigLoader.MAPPER.getNodeFactory().textNode(text).toString();
    }

    private Path armDir(Arm arm) {
        return runDir.resolve(DIR).resolve(arm.folderName());
    }

    /**
     * Arms that train different students, or evaluate differently, would not be a comparison; and
     * the prompt must be the one the traces were collected with, or SFT learns another task.
     */
    private void checkSameStudentAndEvaluation() {
        Map.Entry<Arm, RunConfig> first = configs.entrySet().iterator().next();
        if (!at(distill, "prompt").equals(at(first.getValue(), "prompt"))) {
            throw new UserInputException(first.getKey().config() + ": key 'prompt' differs from the distill config's, whose"
                    + " prompt the traces were collected with");
        }
        for (Map.Entry<Arm, RunConfig> e : configs.entrySet()) {
            for (String key : List.of("model", "dataset.eval_path", "dataset.eval_size", "dataset.problem_field",
                    "dataset.answer_field", "prompt", "rewards", "sampling.max_prompt_length", "sampling.max_completion_length",
                    "sampling.stop", "run.seed")) {
                JsonNode mine = at(e.getValue(), key);
                JsonNode theirs = at(first.getValue(), key);
                if (!mine.equals(theirs)) {
                    throw new UserInputException(e.getKey().config() + ": key '" + key + "' is " + mine + ", but "
                            + first.getKey().config() + " has " + theirs + "; the comparison's arms train one student"
                            + " and evaluate it on the same problems");
                }
            }
        }
    }

    private static JsonNode at(RunConfig config, String key) {
        return RunConfigLoader.at(config.toJson(), key);
    }

    private RunReport runOrReuse(Arm arm, RunConfig config) throws IOException {
        Path dir = armDir(arm);
        Path report = dir.resolve(RunReport.FILE);
        Path saved = dir.resolve(RunFolder.CONFIG);
        if (Files.isRegularFile(report) && Files.isRegularFile(saved)
                && RunConfigLoader.readObject(saved, "an arm's saved config").equals(RunConfigLoader.asWritten(config.toJson()))) {
            err.println("zero4j: comparison: " + arm.folderName() + " is done already, with these settings (" + report + ")");
            return RunReport.read(report);
        }
        RunConfigLoader.checkFiles(config, arm.config());
        err.println("zero4j: comparison: " + arm.label() + " (" + arm.config() + "), " + trim(arm.seconds()) + " s of training");
        try (RunFolder folder = RunFolder.fresh(dir, true, null)) { // an arm killed midway starts over
            if (arm.method().equals("sft")) {
                new SftRun(config, arm.config(), folder, out, err, System.nanoTime()).run(null);
            } else {
                new TrainingRun(config, arm.config(), folder, out, err, System.nanoTime()).start();
            }
        }
        if (!Files.isRegularFile(report)) {
            throw new UserInputException(arm.config() + ": the " + arm.method() + " arm wrote no report (it needs"
                    + " dataset.eval_path and run.eval_every > 0)");
        }
        return RunReport.read(report);
    }

    private String table(List<Outcome> outcomes, RunConfig any) {
        StringBuilder s = new StringBuilder();
        RunConfig.Model m = any.model();
        s.append(String.format("%nthe student %s, trained by each method for the same step time, held-out greedy on %s"
                + " (%d problems):%n%n", m.path() != null ? m.path() : m.pretrain(), any.dataset().evalPath(),
                any.dataset().evalSize()));
        s.append("| time budget | method | steps | training s | held-out accuracy | mean length | think share |\n");
        s.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        s.append(row("-", "the student's base, untrained", 0, 0, outcomes.get(0).report().before()));
        for (Outcome o : outcomes) {
            s.append(row(trim(o.arm().seconds()) + " s", o.arm().label(), o.report().steps(), o.report().trainSeconds(),
                    o.report().after()));
        }
        return s.toString();
    }

    private static String row(String budget, String label, int steps, double seconds, Map<String, Double> eval) {
        return String.format("| %s | %s | %d | %.0f | %s | %s | %s |%n", budget, label, steps, seconds,
                RunReport.ACCURACY.format(eval), RunReport.LENGTH.format(eval), RunReport.THINK_SHARE.format(eval));
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    private void write(List<Outcome> outcomes, String table) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("train_seconds", distill.comparison().trainSeconds());
        List<Map<String, Object>> arms = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("method", o.arm().method());
            a.put("time_budget_seconds", o.arm().seconds());
            a.put("config", o.arm().config());
            a.put("run_dir", armDir(o.arm()).toString());
            a.put("steps", o.report().steps());
            a.put("train_seconds", o.report().trainSeconds());
            a.put("before", o.report().before());
            a.put("after", o.report().after());
            arms.add(a);
        }
        json.put("arms", arms);
        json.put("table", table.strip());
        ModelExporter.writeJson(runDir.resolve(FILE), json);
    }
}
