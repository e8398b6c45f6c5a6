package io.zero4j.trainer.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.rollout.Completion;
import io.zero4j.trainer.loop.ScoredBatch;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code samples.jsonl}: every sampled completion of a logged step, with its problem and reward, in one append. */
public final class SampleLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StepLines lines;

    public SampleLog(Path file) {
        this.lines = new StepLines(file);
    }

    public void write(int step, ScoredBatch batch) {
        List<String> out = new ArrayList<>();
        try {
            for (int r = 0; r < batch.rows(); r++) {
                Completion c = batch.rollouts().get(r);
                ObjectNode line = JSON.createObjectNode();
                line.put("step", step);
                line.put("problem", batch.problemOf(r).problem());
                line.put("answer", batch.problemOf(r).answer());
                line.put("completion", c.text());
                ArrayNode ids = line.putArray("completion_ids"); // the text alone hides which invalid bytes were drawn
                for (int id : c.tokenIds()) {
                    ids.add(id);
                }
                line.put("reward", batch.totals()[r]);
                line.put("finish_reason", c.finishReason().wireName());
                out.add(JSON.writeValueAsString(line));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        lines.append(out);
    }

    /** Drops lines of steps after {@code step} (a resumed run rewrites them) and a torn last line. */
    public void truncateAfter(int step) {
        lines.truncateAfter(step);
    }
}
