package io.zero4j.rewards;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reward functions a config can name, and their parameters (all optional):
 *
 * <ul>
 *   <li>{@code accuracy}: {@code extractors} (comma list of {@link AnswerExtractor} names)
 *   <li>{@code format}: {@code format_mode} (strict, lenient, partial), {@code think_tag},
 *       {@code answer_tag}, {@code think_prefilled}
 *   <li>{@code countdown}: {@code countdown_correct} (1.0), {@code countdown_format} (0.1)
 *   <li>{@code overlong}: {@code max_length} (required), {@code overlong_cache}
 * </ul>
 */
public final class Rewards {
    /** Each reward's name and the parameters it takes. */
    public static final Map<String, List<String>> PARAMETERS = parameters();
    public static final List<String> NAMES = List.copyOf(PARAMETERS.keySet());

    private Rewards() {
    }

    private static Map<String, List<String>> parameters() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("accuracy", List.of("extractors"));
        m.put("format", List.of("format_mode", "think_tag", "answer_tag", "think_prefilled"));
        m.put("countdown", List.of("countdown_correct", "countdown_format"));
        m.put("overlong", List.of("max_length", "overlong_cache"));
        return Collections.unmodifiableMap(m);
    }

    /** The parameters reward {@code name} takes; an unknown name fails with the known ones. */
    public static List<String> parametersOf(String name) {
        List<String> params = PARAMETERS.get(name);
        if (params == null) {
            throw new IllegalArgumentException("unknown reward '" + name + "', expected one of " + NAMES);
        }
        return params;
    }

    /** A reward by name; an unknown name, or a parameter the reward does not take, fails naming both. */
    public static RewardFunction create(String name, Map<String, String> p) {
        List<String> known = parametersOf(name);
        for (String key : p.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("reward '" + name + "' has no parameter '" + key + "'; its parameters: "
                        + known);
            }
        }
        switch (name) {
            case "accuracy":
                if (!p.containsKey("extractors")) {
                    return AccuracyReward.withDefaultChain();
                }
                List<AnswerExtractor> chain = new ArrayList<>();
                for (String e : p.get("extractors").split(",")) {
                    chain.add(AnswerExtractor.byName(e.strip()));
                }
                return new AccuracyReward(chain);
            case "format":
                FormatReward.Mode mode;
                try {
                    mode = FormatReward.Mode.valueOf(p.getOrDefault("format_mode", "strict").toUpperCase());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("format_mode '" + p.get("format_mode")
                            + "': expected strict, lenient or partial");
                }
                return new FormatReward(mode, p.getOrDefault("think_tag", "think"), p.getOrDefault("answer_tag", "answer"),
                        Boolean.parseBoolean(p.getOrDefault("think_prefilled", "false")));
            case "countdown":
                return new CountdownReward(number(p, "countdown_correct", 1.0), number(p, "countdown_format", 0.1));
            case "overlong":
                if (!p.containsKey("max_length")) {
                    throw new IllegalArgumentException("reward 'overlong' needs max_length");
                }
                int max = (int) number(p, "max_length", 0);
                return new OverlongReward(max, (int) number(p, "overlong_cache", Math.max(1, max / 4)));
            default:
                throw new IllegalArgumentException("unknown reward '" + name + "', expected one of " + NAMES);
        }
    }

    private static double number(Map<String, String> p, String key, double fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "': expected a number");
        }
    }
}
