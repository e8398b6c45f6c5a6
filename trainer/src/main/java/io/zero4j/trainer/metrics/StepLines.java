package io.zero4j.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSONL file of {@code {"step": N, ...}} lines that a run appends to. Each append is one buffer
 * of whole lines written to the end of the file and forced to disk; a kill or a full disk can still
 * cut it short, leaving text after the last newline. Readers leave that torn tail out, and
 * {@link #truncateAfter} (which a resumed run calls) drops it and keeps every line up to a step,
 * atomically; {@link #replaceFrom} does the same and puts new lines after them in the same
 * rewrite. A line that ends in a newline but does not parse is not a torn write: it is reported,
 * naming the line.
 */
final class StepLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    StepLines(Path file) {
        this.file = file;
    }

    /** Appends {@code lines} (each without its newline) in one write. */
    void append(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot append: " + e.getMessage());
        }
    }

    /** Every complete line as parsed JSON, in order (a torn last line is left out). */
    List<JsonNode> read() {
        return parse(readText()).rows();
    }

    /** Keeps the lines of steps up to {@code step} (none for -1), repairing a torn last line. */
    void truncateAfter(int step) {
        if (Files.exists(file)) {
            rewrite(step, List.of());
        }
    }

    /** Keeps the lines of steps before {@code step} and puts {@code lines} after them, in one atomic rewrite. */
    void replaceFrom(int step, List<String> lines) {
        rewrite(step - 1, lines);
    }

    private void rewrite(int step, List<String> appended) {
        Parsed parsed = parse(readText());
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < parsed.rows().size(); i++) {
            if (parsed.rows().get(i).path("step").asInt(Integer.MAX_VALUE) <= step) {
                kept.add(parsed.lines().get(i));
            }
        }
        kept.addAll(appended);
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot rewrite: " + e.getMessage());
        }
    }

    private String readText() {
        if (!Files.exists(file)) {
            return "";
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    private record Parsed(List<String> lines, List<JsonNode> rows) {
    }

    /** Lines that end in a newline must parse; what follows the last newline is a torn write and is left out. */
    private Parsed parse(String text) {
        List<String> lines = new ArrayList<>();
        List<JsonNode> rows = new ArrayList<>();
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isBlank()) {
                continue;
            }
            JsonNode row;
            try {
                row = JSON.readTree(parts[i]);
            } catch (IOException e) {
                row = null;
            }
            if (row == null || !row.isObject() || !row.path("step").isInt()) {
                throw new UserInputException(file + ":" + (i + 1) + ": not a {\"step\": N, ...} line; the file is damaged"
                        + " (only a torn last line is repaired)");
            }
            lines.add(parts[i]);
            rows.add(row);
        }
        return new Parsed(lines, rows);
    }
}
