package io.zero4j.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few numbers a run ends with: held-out greedy accuracy, mean completion length and the share
 * of completions that reason inside think, before training and after it, the wall time
 * (pretraining included when the run made its base model) and the part of it the training steps
 * took. Printed as a short table and written as {@code report.json} in the run folder.
 */
public record RunReport(Map<String, Double> before, Map<String, Double> after, double wallSeconds, double trainSeconds,
                        int steps, String method) {
    /** One line of the table: a metric, its label, and how it prints ({@code scale} 100 for a percentage). */
    public record Row(String metric, String label, String pattern, double scale) {
        public String format(Map<String, Double> values) {
            Double v = values.get(metric);
            return v == null || v.isNaN() ? "-" : String.format(pattern, v * scale);
        }
    }

    public static final Row ACCURACY = new Row(MetricNames.EVAL + MetricNames.GREEDY_PASS_AT_1, "held-out accuracy (greedy)",
            "%.1f%%", 100);
    public static final Row LENGTH = new Row(MetricNames.EVAL + MetricNames.EVAL_MEAN_LENGTH, "mean completion length (tokens)",
            "%.1f", 1);
    public static final Row THINK_SHARE = new Row(MetricNames.EVAL + MetricNames.EVAL_THINK_SHARE,
            "answers reasoning inside <think>", "%.1f%%", 100);
    private static final List<Row> ROWS = List.of(ACCURACY, LENGTH, THINK_SHARE);

    public String text() {
        StringBuilder sb = new StringBuilder(String.format("%-36s %10s %10s%n", "after " + steps + " steps (" + method + ")", "before",
                "after"));
        for (Row row : ROWS) {
            sb.append(String.format("%-36s %10s %10s%n", row.label(), row.format(before), row.format(after)));
        }
        sb.append(String.format("%-36s %10s %10.0fs%n", "wall time", "", wallSeconds));
        sb.append(String.format("%-36s %10s %10.0fs%n", "of which training steps", "", trainSeconds));
        return sb.toString();
    }

    /** The report file's name in a run folder. */
    public static final String FILE = "report.json";

    /**
     * Writes {@code report.json} into {@code runDir} and prints the table, from the evaluation rows of
     * step 0 and of the last step, when both were evaluated (nothing otherwise); {@code method} names
     * the training as its config does ({@code grpo}, {@code sft}, ...) in the table's header and the file.
     */
    public static void write(MetricsLog metrics, int steps, String method, double wallSeconds, Path runDir, PrintStream out)
            throws IOException {
        Map<String, Double> before = evalKeys(metrics.read(0));
        Map<String, Double> after = evalKeys(metrics.read(steps));
        if (before.isEmpty() || after.isEmpty()) {
            return;
        }
        RunReport report = new RunReport(before, after, wallSeconds, metrics.sum(MetricNames.STEP_SECONDS, steps), steps, method);
        report.write(runDir.resolve(FILE));
        out.print(report.text());
    }

    /** The held-out metrics ({@code eval/...}) of a metrics row (none for null). */
    public static Map<String, Double> evalKeys(Map<String, Double> row) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (row != null) {
            row.forEach((k, v) -> {
                if (k.startsWith(MetricNames.EVAL)) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    /** A report written by {@link #write(Path)}; a file that is not one is one line naming it. */
    public static RunReport read(Path file) {
        try {
            JsonNode j = new ObjectMapper().readTree(file.toFile());
            return new RunReport(MetricsLog.numbers(j.path("before")), MetricsLog.numbers(j.path("after")),
                    j.path("wall_seconds").asDouble(), j.path("train_seconds").asDouble(), j.path("steps").asInt(),
                    j.path("method").asText());
        } catch (IOException e) {
            throw new UserInputException(file + ": not a run report: " + e.getMessage());
        }
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        json.put("steps", steps);
        json.put("before", before);
        json.put("after", after);
        json.put("wall_seconds", wallSeconds);
        json.put("train_seconds", trainSeconds);
        ModelExporter.writeJson(file, json);
    }
}
