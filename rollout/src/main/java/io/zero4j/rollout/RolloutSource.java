package io.zero4j.rollout;

import java.util.List;

/**
 * Where completions come from: {@link RolloutEngine} samples them in this process; a distributed
 * backend would fan the prompts out and gather the same batch back. Whatever the source, each
 * completion carries its token ids, its sampling log-probabilities and its finish reason.
 */
public interface RolloutSource {
    /** {@code samplesPerPrompt} completions of every prompt, prompt-major (row {@code r} continues prompt {@code r / G}). */
    RolloutBatch generate(List<int[]> prompts, int samplesPerPrompt, SamplingParams params);
}
