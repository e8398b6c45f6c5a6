package io.zero4j.rollout;

/**
 * One sampled completion.
 *
 * @param promptIndex  which prompt it continues
 * @param sampleIndex  which of that prompt's samples it is
 * @param tokenIds     the completion's tokens, the EOS token included when it stopped on one
 * @param logProbs     per token, the natural-log probability of the chosen token under the model's
 *                     full-vocabulary distribution at {@link SamplingParams#effectiveLogProbTemperature()}
 */
public record Completion(int promptIndex, int sampleIndex, int[] tokenIds, float[] logProbs, FinishReason finishReason) {
}
