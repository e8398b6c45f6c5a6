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
    private static final List<String[]> ROWS = List.of(
            new String[] {"eval/pass@1", "held-out accuracy (greedy)", "%.1f%%", "100"},
            new String[] {"eval/mean_length", "mean completion length (tokens)", "%.1f", "1"},
            new String[] {"eval/think_share", "answers reasoning inside <think>", "%.1f%%", "100"});

    public String text() {
        StringBuilder sb = new StringBuilder(String.format("%-34s %10s %10s%n", "after " + steps + " GRPO steps", "before",
                "after"));
        for (String[] row : ROWS) {
            double scale = Double.parseDouble(row[3]);
            sb.append(String.format("%-34s %10s %10s%n", row[1], format(before.get(row[0]), row[2], scale),
                    format(after.get(row[0]), row[2], scale)));
        }
        sb.append(String.format("%-34s %10s %10.0fs%n", "wall time", "", wallSeconds));
        return sb.toString();
    }

    private static String format(Double value, String pattern, double scale) {
        return value == null || value.isNaN() ? "-" : String.format(pattern, value * scale);
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
