package io.zero4j.rollout;

import java.io.Serializable;

/**
 * One sampled completion (serializable: a remote rollout backend ships it back to the learner).
 *
 * @param promptIndex  which prompt it continues
 * @param sampleIndex  which of that prompt's samples it is
 * @param tokenIds     the completion's tokens: with the EOS token when it stopped on one, up to and
 *                     including the token that completed a stop string when it stopped on one
 * @param logProbs     per token, the natural-log probability of the chosen token under the model's
 *                     full-vocabulary distribution at {@link SamplingParams#effectiveLogProbTemperature()}
 * @param text         the decoded completion: without the EOS token, and cut right after a stop
 *                     string that ended it
 */
public record Completion(int promptIndex, int sampleIndex, int[] tokenIds, float[] logProbs, String text,
                         FinishReason finishReason) implements Serializable {
    public int length() {
        return tokenIds.length;
    }
}
