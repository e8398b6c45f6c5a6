package io.zero4j.rollout.batching;

import io.zero4j.rollout.SamplingParams;

/**
 * One request to a {@link ContinuousBatcher}: {@code choices} completions of one prompt.
 *
 * @param promptIds    the prompt's tokens, at least one
 * @param choices      how many completions (OpenAI's {@code n}); choice c draws from the random
 *                     stream of sample c of prompt 0 under {@code params.seed()}, as
 *                     {@code RolloutEngine.generate} does for a batch of one prompt
 * @param params       how each completion is sampled; {@code maxNewTokens} may not reach past the context
 * @param topLogProbs  how many most likely alternatives to report beside each sampled token (0: none)
 * @param scorePrompt  whether to report each prompt token's log-probability given the tokens before it
 * @param listener     told, on the batcher's thread, what happens to the request
 */
public record GenerationRequest(int[] promptIds, int choices, SamplingParams params, int topLogProbs, boolean scorePrompt,
                                GenerationListener listener) {
    public GenerationRequest {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        if (choices < 1) {
            throw new IllegalArgumentException("choices must be >= 1, got " + choices);
        }
        if (topLogProbs < 0) {
            throw new IllegalArgumentException("topLogProbs must be >= 0, got " + topLogProbs);
        }
    }
}
