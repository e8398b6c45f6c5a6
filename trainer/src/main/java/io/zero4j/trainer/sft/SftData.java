package io.zero4j.trainer.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.data.TextLines;
import io.zero4j.trainer.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The supervised pairs of a JSONL file (distill's {@code traces.jsonl}, or any file with a prompt and
 * a completion field), tokenized by the student: the prompt as it is written (a trace holds the
 * rendered prompt), its last {@code max_prompt_length} tokens; the completion, its first
 * {@code max_completion_length} tokens, with the EOS token added when it did not end on a stop string
 * (so the student learns to stop where the teacher stopped). A row marked {@code "kept": false} is
 * left out unless {@code sft.only_kept} is false.
 */
final class SftData {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The pairs and how many completions were cut at the length limit. */
    record Read(List<SftExample> examples, int truncated, int skipped) {
    }

    private SftData() {
    }

    static Read read(Path file, RunConfig config, Policy policy) {
        RunConfig.Sft sft = config.sft();
        RunConfig.Sampling s = config.sampling();
        int eos = policy.endOfText();
        List<String> lines = TextLines.read(file);
        List<SftExample> out = new ArrayList<>();
        int truncated = 0;
        int skipped = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode row = parse(lines.get(i), file + ":" + (i + 1));
            if (sft.onlyKept() && !row.path("kept").asBoolean(true)) {
                skipped++;
                continue;
            }
            String prompt = text(row, sft.promptField(), file + ":" + (i + 1));
            String completion = text(row, sft.completionField(), file + ":" + (i + 1));
            int[] p = policy.encode(prompt);
            p = p.length <= s.maxPromptLength() ? p : Arrays.copyOfRange(p, p.length - s.maxPromptLength(), p.length);
            int[] c = policy.encode(completion);
            boolean endsOnStop = s.stop().stream().anyMatch(completion::endsWith);
            if (!endsOnStop) {
                c = Arrays.copyOf(c, c.length + 1);
                c[c.length - 1] = eos;
            }
            if (c.length > s.maxCompletionLength()) {
                c = Arrays.copyOf(c, s.maxCompletionLength());
                truncated++;
            }
            if (p.length == 0 || c.length == 0) {
                throw new UserInputException(file + ":" + (i + 1) + ": an empty prompt or completion");
            }
            out.add(new SftExample(p, c));
        }
        if (out.isEmpty()) {
            throw new UserInputException(file + ": no rows to train on" + (skipped > 0 ? " (" + skipped + " not kept)" : ""));
        }
        return new Read(out, truncated, skipped);
    }

    private static JsonNode parse(String line, String where) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException ignored) {
            // the error below
        }
        throw new UserInputException(where + ": not a JSON object");
    }

    private static String text(JsonNode row, String field, String where) {
        JsonNode v = row.get(field);
        if (v == null || !v.isTextual()) {
            throw new UserInputException(where + ": field '" + field + "': expected text (sft.prompt_field / sft.completion_field)");
        }
        return v.asText();
    }
}
