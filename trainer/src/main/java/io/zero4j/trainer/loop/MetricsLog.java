package io.zero4j.trainer.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Appends {@code {"step": N, "data": {...}}} lines to {@code metrics.jsonl}, one per step, flushed each time. */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    /** Drops lines of steps after {@code step} (a resumed run rewrites them). */
    public void truncateAfter(int step) {
        StepLines.truncateAfter(file, step);
    }

    /** The numbers logged for {@code step} (the first such line), or null when there is none. */
    public Map<String, Double> read(int step) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode row = JSON.readTree(line);
                if (row.path("step").asInt(-1) == step) {
                    Map<String, Double> out = new LinkedHashMap<>();
                    row.path("data").fields().forEachRemaining(e -> out.put(e.getKey(),
                            e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN));
                    return out;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(int step, Map<String, Double> data) {
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
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
