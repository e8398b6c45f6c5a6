package io.zero4j.trainer.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code collection.jsonl} on disk: problems in order, {@code k} lines each. Reading it back for a
 * restart keeps the leading whole problems and cuts off the rest (a problem a kill interrupted, a
 * half-written line); {@link #writeKept} rewrites {@code traces.jsonl} from it atomically.
 */
final class CollectionFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CollectionFile() {
    }

    /** How many whole problems the file holds, after cutting it back to them (0 when it does not exist). */
    static int completedProblems(Path file, int k) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        int problems = 0;
        int inProblem = 0;
        long keepBytes = 0;
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            JsonNode line = parse(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8));
            if (line == null || line.path("problem_index").asInt(-1) != problems || line.path("sample_index").asInt(-1) != inProblem) {
                break;
            }
            lineStart = i + 1;
            if (++inProblem == k) {
                problems++;
                inProblem = 0;
                keepBytes = lineStart;
            }
        }
        if (keepBytes < bytes.length) {
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.truncate(keepBytes);
                c.force(true);
            }
        }
        return problems;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code traces} becomes the kept lines of {@code collection}, replaced in one move. */
    static void writeKept(Path collection, Path traces) throws IOException {
        List<String> kept = Files.readAllLines(collection, StandardCharsets.UTF_8).stream()
                .filter(l -> {
                    JsonNode n = parse(l);
                    if (n == null) {
                        throw new UserInputException(collection + ": a line is not JSON; collect again with --overwrite");
                    }
                    return n.path("kept").asBoolean(false);
                }).toList();
        Path tmp = traces.resolveSibling("." + traces.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, traces, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
