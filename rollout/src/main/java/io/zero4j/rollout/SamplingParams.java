package io.zero4j.rollout;

import java.io.Serializable;
import java.util.List;

/**
 * How completions are drawn, with the names TRL and vLLM use.
 *
 * @param temperature  logits are divided by it; 0 is greedy decoding
 * @param topK         keep the k most likely tokens (ties at the k-th value kept); 0 = off
 * @param topP         keep the smallest set of most likely tokens whose mass reaches it; 1 = off
 * @param minP         keep tokens whose probability is at least {@code minP} times the most likely
 *                     one's; 0 = off
 * @param maxNewTokens the length limit of a completion
 * @param stopStrings  a completion ends right after the first of these appears in its text
 * @param seed         each row's random stream derives from this seed, its prompt's index and its
 *                     sample's index, so a row's completion does not depend on the rest of the batch
 * @param logProbTemperature the temperature of the distribution under which the returned
 *                     log-probabilities are computed; NaN means the sampling temperature (1 when greedy)
 */
public record SamplingParams(double temperature, int topK, double topP, double minP, int maxNewTokens,
                             List<String> stopStrings, long seed, double logProbTemperature) implements Serializable {
    public SamplingParams {
        stopStrings = List.copyOf(stopStrings);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("min_p must be in [0, 1), got " + minP);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens must be >= 1, got " + maxNewTokens);
        }
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop strings must not be empty");
        }
        if (!Double.isNaN(logProbTemperature) && !(logProbTemperature > 0)) {
            throw new IllegalArgumentException("logprob temperature must be > 0, got " + logProbTemperature);
        }
    }

    /** Plain sampling at a temperature, no filters, no stop strings. */
    public SamplingParams(double temperature, int maxNewTokens, long seed) {
        this(temperature, 0, 1.0, 0.0, maxNewTokens, List.of(), seed, Double.NaN);
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(0, maxNewTokens, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    /** The temperature the returned log-probabilities use. */
    public double effectiveLogProbTemperature() {
        return !Double.isNaN(logProbTemperature) ? logProbTemperature : isGreedy() ? 1.0 : temperature;
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, maxNewTokens, stopStrings, seed, logProbTemperature);
    }

    public SamplingParams withTopP(double p) {
        return new SamplingParams(temperature, topK, p, minP, maxNewTokens, stopStrings, seed, logProbTemperature);
    }

    public SamplingParams withMinP(double p) {
        return new SamplingParams(temperature, topK, topP, p, maxNewTokens, stopStrings, seed, logProbTemperature);
    }

    public SamplingParams withStopStrings(List<String> stops) {
        return new SamplingParams(temperature, topK, topP, minP, maxNewTokens, stops, seed, logProbTemperature);
    }

    public SamplingParams withLogProbTemperature(double t) {
        return new SamplingParams(temperature, topK, topP, minP, maxNewTokens, stopStrings, seed, t);
    }
}
