package io.zero4j.rollout.batching;

/**
 * A token with its log-probability under the model (at the request's log-probability temperature)
 * and, when asked for, the most likely tokens at that position, best first.
 */
public record ScoredToken(int id, float logProb, int[] topIds, float[] topLogProbs) {
    static final int[] NO_IDS = new int[0];
    static final float[] NO_LOG_PROBS = new float[0];
}
