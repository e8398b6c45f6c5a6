package io.zero4j.rollout;

/**
 * How completions are drawn. {@code temperature == 0} is greedy decoding.
 *
 * @param seed the random stream of each row derives from this seed, the prompt's index and the
 *             sample's index, so a row's completion does not depend on what else is in the batch
 */
public record SamplingParams(double temperature, int maxNewTokens, long seed) {
    public SamplingParams {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(0, maxNewTokens, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
