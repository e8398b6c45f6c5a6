package io.zero4j.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one {@code {"step": N, "data": {...}}} line per step (step 0 is the
 * evaluation before training), appended whole and forced to disk each time; a non-finite value is
 * written as null.
 */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StepLines lines;

    public MetricsLog(Path file) {
        this.lines = new StepLines(file);
    }

    /** Drops lines of steps after {@code step} (a resumed run rewrites them) and a torn last line. */
    public void truncateAfter(int step) {
        lines.truncateAfter(step);
    }

    /** The numbers logged for {@code step} (null ones as NaN), or null when there is no such line. */
    public Map<String, Double> read(int step) {
        for (JsonNode row : lines.read()) {
            if (row.path("step").asInt() == step) {
                return numbers(row.path("data"));
            }
        }
        return null;
    }

    /** An object of metrics as numbers, a null (how a non-finite value is written) read back as NaN. */
    static Map<String, Double> numbers(JsonNode object) {
        Map<String, Double> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN));
        return out;
    }

    /** The sum of {@code metric} over the steps up to {@code step} that logged it. */
    public double sum(String metric, int step) {
        double total = 0;
        for (JsonNode row : lines.read()) {
            JsonNode v = row.path("data").path(metric);
            if (row.path("step").asInt() <= step && v.isNumber()) {
                total += v.asDouble();
            }
        }
        return total;
    }

    public void write(int step, Map<String, Double> data) {
        lines.append(List.of(line(step, data)));
    }

    /** Makes {@code data} the line of {@code step}, the last one, in place of what was logged for it (atomically). */
    public void replaceLast(int step, Map<String, Double> data) {
        lines.replaceFrom(step, List.of(line(step, data)));
    }

    private static String line(int step, Map<String, Double> data) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", step);
        ObjectNode d = line.putObject("data");
        data.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                d.put(k, v);
            } else {
                d.putNull(k);
            }
        });
        try {
            return JSON.writeValueAsString(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
