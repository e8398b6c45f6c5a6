package io.zero4j.trainer.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.rollout.Completion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code samples.jsonl}: every sampled completion of a logged step, with its problem and reward. */
public final class SampleLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public SampleLog(Path file) {
        this.file = file;
    }

    public void write(int step, GrpoTrainer.StepOutcome o) {
        StringBuilder sb = new StringBuilder();
        try {
            for (int r = 0; r < o.batch().size(); r++) {
                Completion c = o.batch().get(r);
                ObjectNode line = JSON.createObjectNode();
                line.put("step", step);
                line.put("problem", o.problems().get(c.promptIndex()).problem());
                line.put("answer", o.problems().get(c.promptIndex()).answer());
                line.put("completion", c.text());
                line.put("reward", o.rewards()[r]);
                line.put("finish_reason", c.finishReason().wireName());
                sb.append(JSON.writeValueAsString(line)).append('\n');
            }
            Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops lines of steps after {@code step} (a resumed run rewrites them). */
    public void truncateAfter(int step) {
        StepLines.truncateAfter(file, step);
    }
}
