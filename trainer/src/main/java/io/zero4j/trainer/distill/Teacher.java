package io.zero4j.trainer.distill;

import io.zero4j.rollout.SamplingParams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where distillation's traces come from: a local model folder ({@link LocalTeacher}) or an
 * OpenAI-compatible endpoint ({@link HttpTeacher}). Both sample sample c of a prompt from the random
 * stream zero4j's engine gives sample c of a one-prompt batch under the request's seed, so a zero4j
 * teacher gives the same samples whether it is loaded here or served.
 */
public interface Teacher extends AutoCloseable {
    /** One sample: its text (a stop string that ended it included), why it ended, and its length in tokens (-1: unknown). */
    record Sample(String completion, String finishReason, int completionTokens) {
    }

    /** {@code k} samples of {@code prompt}, completing later; a teacher that cannot answer completes it exceptionally. */
    CompletableFuture<List<Sample>> sample(String prompt, int k, SamplingParams params);

    /** What a trace records about the teacher (its kind and which model). */
    Map<String, Object> provenance();

    @Override
    void close();
}
