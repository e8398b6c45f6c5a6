package io.zero4j.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.SampleField;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * JSONL problems, read once. A bad row is a one-line error naming file, line and field: text that
 * is not UTF-8, a line that is not a JSON object, a problem that is not text, and a field the
 * rewards need ({@code answer}, or countdown's {@code numbers} and {@code target}) that is missing
 * or of the wrong kind ({@link TextLines} reads the file).
 */
public final class ProblemSet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemSet() {
    }

    public static List<Problem> read(Path file, String problemField, String answerField, Set<SampleField> required) {
        List<String> lines = TextLines.read(file);
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(row(lines.get(i), file + ":" + (i + 1), problemField, answerField, required));
            }
        }
        if (out.isEmpty()) {
            throw new UserInputException(file + ": no rows");
        }
        return out;
    }

    private static Problem row(String line, String where, String problemField, String answerField, Set<SampleField> required) {
        JsonNode row;
        try {
            row = JSON.readTree(line);
        } catch (IOException e) {
            row = null;
        }
        if (row == null || !row.isObject()) {
            throw new UserInputException(where + ": not a JSON object");
        }
        TextLines.requireText(row, where);
        JsonNode p = row.get(problemField);
        if (p == null || !p.isTextual()) {
            throw new UserInputException(where + ": field '" + problemField + "': expected the problem text");
        }
        JsonNode a = row.get(answerField);
        if (a != null && !a.isNull() && !a.isValueNode()) {
            throw new UserInputException(where + ": field '" + answerField + "': expected the answer as text or a number");
        }
        String answer = a == null || a.isNull() ? null : a.asText();
        if (answer == null && required.contains(SampleField.ANSWER)) {
            throw new UserInputException(where + ": field '" + answerField + "': missing, and the accuracy reward needs it");
        }
        List<Long> numbers = new ArrayList<>();
        JsonNode ns = row.get("numbers");
        if (ns != null && (!ns.isArray() || !allIntegers(ns))) {
            throw new UserInputException(where + ": field 'numbers': expected a list of integers");
        }
        if (ns != null) {
            ns.forEach(n -> numbers.add(n.asLong()));
        }
        JsonNode t = row.get("target");
        if (t != null && !t.isNull() && !(t.isIntegralNumber() && t.canConvertToLong())) {
            throw new UserInputException(where + ": field 'target': expected an integer");
        }
        Long target = t == null || t.isNull() ? null : t.asLong();
        if (required.contains(SampleField.NUMBERS_AND_TARGET) && (ns == null || target == null)) {
            throw new UserInputException(where + ": field '" + (ns == null ? "numbers" : "target")
                    + "': missing, and the countdown reward needs it");
        }
        return new Problem(p.asText(), answer, numbers, target);
    }

    private static boolean allIntegers(JsonNode list) {
        for (JsonNode n : list) {
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                return false;
            }
        }
        return true;
    }

    /** A seeded shuffle (the same order for the same seed). */
    public static List<Problem> shuffled(List<Problem> rows, long seed) {
        List<Problem> copy = new ArrayList<>(rows);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }
}
