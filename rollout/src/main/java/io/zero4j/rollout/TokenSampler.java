package io.zero4j.rollout;

import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits. Greedy is the arg max; otherwise an inverse-CDF draw
 * from {@code softmax(logit / T)}: one pass for the maximum, one for the normaliser, and a walk
 * that stops where the cumulative mass passes one uniform number. Nothing is allocated.
 */
final class TokenSampler {
    private TokenSampler() {
    }

    static int pick(float[] logits, int offset, int vocab, double temperature, SplittableRandom rng) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            if (logits[offset + v] > max) {
                max = logits[offset + v];
                best = v;
            }
        }
        if (temperature == 0) {
            return best;
        }
        double inv = 1.0 / temperature;
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp((logits[offset + v] - max) * inv);
        }
        double target = rng.nextDouble() * sum;
        double cumulative = 0;
        for (int v = 0; v < vocab; v++) {
            cumulative += Math.exp((logits[offset + v] - max) * inv);
            if (cumulative > target) {
                return v;
            }
        }
        return best; // rounding left the target just past the total: the mode is as good as any
    }

    /** {@code log softmax(row / temperature)[token]} in float64. */
    static float logProb(float[] logits, int offset, int vocab, int token, double temperature) {
        double inv = 1.0 / temperature;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits[offset + v] * inv);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(logits[offset + v] * inv - max);
        }
        return (float) (logits[offset + token] * inv - max - Math.log(sum));
    }
}
