package io.zero4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.rollout.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The settings both generation endpoints share, with OpenAI's names and defaults, plus vLLM's
 * {@code top_k} and {@code min_p}. Log-probabilities are always those of the model's own
 * distribution (temperature 1), as vLLM reports them, whatever the sampling temperature.
 *
 * @param maxTokens null when the request gave none (the endpoint decides)
 * @param seed      the request's seed, or a fresh random one
 */
record SamplingRequest(String model, int n, Integer maxTokens, double temperature, double topP, int topK, double minP,
                       List<String> stop, long seed, boolean stream, boolean includeUsage) {
    static final int MAX_CHOICES = 64;
    static final int MAX_STOPS = 4;

    /** Reads the shared fields; {@code maxTokensFields} are the names the endpoint takes for the length limit. */
    static SamplingRequest read(RequestFields f, String... maxTokensFields) {
        String model = f.requiredString("model");
        int n = (int) f.integer("n", 1, 1, MAX_CHOICES);
        Integer maxTokens = null;
        for (String name : maxTokensFields) {
            long v = f.integer(name, -1, 0, Integer.MAX_VALUE);
            if (v >= 0) {
                maxTokens = (int) v;
            }
        }
        double temperature = f.number("temperature", 1.0, 0.0, 100.0);
        double topP = f.number("top_p", 1.0, Double.MIN_VALUE, 1.0);
        int topK = (int) f.integer("top_k", 0, -1, Integer.MAX_VALUE);
        double minP = f.number("min_p", 0.0, 0.0, Math.nextDown(1.0));
        List<String> stop = stops(f.node("stop"));
        JsonNode seedNode = f.node("seed");
        long seed = seedNode == null ? ThreadLocalRandom.current().nextLong() : f.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        boolean stream = f.bool("stream", false);
        JsonNode options = f.node("stream_options");
        boolean includeUsage = options != null && options.path("include_usage").asBoolean(false);
        f.onlyNeutral("presence_penalty", 0.0);
        f.onlyNeutral("frequency_penalty", 0.0);
        f.onlyNeutral("repetition_penalty", 1.0);
        JsonNode bias = f.node("logit_bias");
        if (bias != null && !bias.isEmpty()) {
            throw ApiError.invalid("logit_bias", "'logit_bias' is not supported by zero4j serve");
        }
        f.string("user", null); // an end-user id for the caller's own records: nothing to do with it here
        return new SamplingRequest(model, n, maxTokens, temperature, topP, Math.max(0, topK), minP, stop, seed, stream,
                includeUsage);
    }

    private static List<String> stops(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray() && node.size() <= MAX_STOPS) {
            node.forEach(s -> out.add(s.isTextual() ? s.asText() : null));
        } else {
            throw ApiError.invalid("stop", "'stop' must be a string or a list of at most " + MAX_STOPS + " strings");
        }
        if (out.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw ApiError.invalid("stop", "'stop' strings must be non-empty strings");
        }
        return out;
    }

    /** The engine's settings for a limit of {@code maxNew} tokens (at least 1). */
    SamplingParams params(int maxNew) {
        return new SamplingParams(temperature, topK, topP, minP, Math.max(1, maxNew), stop, seed, 1.0);
    }

    /** The stop string a completion's text ends with (the longest, when one ends another), or null. */
    String endingStop(String text) {
        String longest = null;
        for (String s : stop) {
            if (text.endsWith(s) && (longest == null || s.length() > longest.length())) {
                longest = s;
            }
        }
        return longest;
    }
}
