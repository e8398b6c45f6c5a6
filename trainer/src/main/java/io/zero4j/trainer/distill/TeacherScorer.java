package io.zero4j.trainer.distill;

import java.util.List;

/**
 * The teacher's log-probability (temperature 1) of each token of the student's completions, given
 * the prompt and the tokens before it. The teacher reads the student's token ids, so it must share
 * the student's tokenizer.
 */
public interface TeacherScorer extends AutoCloseable {
    /** Row r: one value per token of {@code completions.get(r)} after {@code prompts.get(r)}. */
    List<float[]> score(List<int[]> prompts, List<int[]> completions);

    @Override
    void close();
}
