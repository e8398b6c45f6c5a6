package io.zero4j.trainer.metrics;

import io.zero4j.model.ModelExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few numbers a run ends with: held-out greedy accuracy, mean completion length and the share
 * of completions that reason inside think, before training and after it, and the wall time
 * (pretraining included when the run made its base model). Printed as a short table and written as
 * {@code report.json} in the run folder.
 */
public record RunReport(Map<String, Double> before, Map<String, Double> after, double wallSeconds, int steps) {
    /** One line of the table: a metric, its label, and how it prints ({@code scale} 100 for a percentage). */
    private record Row(String metric, String label, String pattern, double scale) {
        String format(Map<String, Double> values) {
            Double v = values.get(metric);
            return v == null || v.isNaN() ? "-" : String.format(pattern, v * scale);
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row("eval/greedy_pass@1", "held-out accuracy (greedy)", "%.1f%%", 100),
            new Row("eval/mean_length", "mean completion length (tokens)", "%.1f", 1),
            new Row("eval/think_share", "answers reasoning inside <think>", "%.1f%%", 100));

    public String text() {
        StringBuilder sb = new StringBuilder(String.format("%-34s %10s %10s%n", "after " + steps + " GRPO steps", "before",
                "after"));
        for (Row row : ROWS) {
            sb.append(String.format("%-34s %10s %10s%n", row.label(), row.format(before), row.format(after)));
        }
        sb.append(String.format("%-34s %10s %10.0fs%n", "wall time", "", wallSeconds));
        return sb.toString();
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("steps", steps);
        json.put("before", before);
        json.put("after", after);
        json.put("wall_seconds", wallSeconds);
        ModelExporter.writeJson(file, json);
    }
}
