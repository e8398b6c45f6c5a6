package io.zero4j.trainer.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** JSONL problems, read once; a bad row is a one-line error naming file, line and field. */
public final class ProblemSet {
    private ProblemSet() {
    }

    public static List<Problem> read(Path file, String problemField, String answerField) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage());
        }
        ObjectMapper json = new ObjectMapper();
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode row;
            try {
                row = json.readTree(lines.get(i));
            } catch (IOException e) {
                throw new UserInputException(where + ": not a JSON object");
            }
            JsonNode p = row.get(problemField);
            if (p == null || !p.isTextual()) {
                throw new UserInputException(where + ": field '" + problemField + "': expected the problem text");
            }
            JsonNode a = row.get(answerField);
            List<Long> numbers = new ArrayList<>();
            row.path("numbers").forEach(n -> numbers.add(n.asLong()));
            JsonNode target = row.get("target");
            out.add(new Problem(p.asText(), a == null || a.isNull() ? null : a.asText(), numbers,
                    target != null && target.isNumber() ? target.asLong() : null));
        }
        if (out.isEmpty()) {
            throw new UserInputException(file + ": no rows");
        }
        return out;
    }

    /** A seeded shuffle (the same order for the same seed). */
    public static List<Problem> shuffled(List<Problem> rows, long seed) {
        List<Problem> copy = new ArrayList<>(rows);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }
}
