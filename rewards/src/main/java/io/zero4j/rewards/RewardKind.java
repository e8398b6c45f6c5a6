package io.zero4j.rewards;

import io.zero4j.rewards.math.EquivalenceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reward functions a config can name (in lower case, e.g. {@code accuracy}), each with the
 * parameters it takes (all optional unless said):
 *
 * <ul>
 *   <li>{@code accuracy}: {@code extractors} (comma list of {@link AnswerExtractor} names), {@code percent}
 *       ({@link EquivalenceOptions.Percent}), {@code decimal_comma} ({@code true}/{@code false}), {@code units}
 *       ({@link EquivalenceOptions.Units}), {@code think_prefilled}
 *   <li>{@code format}: {@code format_mode} ({@link FormatReward.Mode}), {@code think_tag},
 *       {@code answer_tag}, {@code think_prefilled}
 *   <li>{@code countdown}: {@code countdown_correct} (1.0), {@code countdown_format} (0.1)
 *   <li>{@code overlong}: {@code max_length} (required), {@code overlong_cache}
 * </ul>
 */
public enum RewardKind {
    ACCURACY(List.of("extractors", "percent", "decimal_comma", "units", "think_prefilled")),
    FORMAT(List.of("format_mode", "think_tag", "answer_tag", "think_prefilled")),
    COUNTDOWN(List.of("countdown_correct", "countdown_format")),
    OVERLONG(List.of("max_length", "overlong_cache"));

    private final List<String> parameters;

    RewardKind(List<String> parameters) {
        this.parameters = parameters;
    }

    /** The parameters this reward takes. */
    public List<String> parameters() {
        return parameters;
    }

    /** The reward of that name; an unknown name fails with the known ones. */
    public static RewardKind named(String name) {
        return Choices.parse(RewardKind.class, name, "reward");
    }

    /** A reward by name; an unknown name, or a parameter the reward does not take, fails naming both. */
    public static RewardFunction create(String name, Map<String, String> params) {
        return named(name).create(params);
    }

    /** This reward with {@code p}; a parameter it does not take, or a malformed value, fails naming it. */
    public RewardFunction create(Map<String, String> p) {
        for (String key : p.keySet()) {
            if (!parameters.contains(key)) {
                throw new IllegalArgumentException("reward '" + Choices.name(this) + "' has no parameter '" + key + "'; its parameters: "
                        + parameters);
            }
        }
        return switch (this) {
            case ACCURACY -> new AccuracyReward(p.containsKey("extractors") ? extractors(p.get("extractors"))
                    : AccuracyReward.DEFAULT_CHAIN, equivalenceOptions(p), flag(p, "think_prefilled"));
            case FORMAT -> new FormatReward(Choices.parse(FormatReward.Mode.class, p.getOrDefault("format_mode", "strict"),
                    "format_mode"), p.getOrDefault("think_tag", "think"), p.getOrDefault("answer_tag", "answer"),
                    flag(p, "think_prefilled"));
            case COUNTDOWN -> new CountdownReward(number(p, "countdown_correct", 1.0), number(p, "countdown_format", 0.1));
            case OVERLONG -> {
                if (!p.containsKey("max_length")) {
                    throw new IllegalArgumentException("reward 'overlong' needs max_length");
                }
                int max = (int) number(p, "max_length", 0);
                yield new OverlongReward(max, (int) number(p, "overlong_cache", Math.max(1, max / 4)));
            }
        };
    }

    private static List<AnswerExtractor> extractors(String names) {
        List<AnswerExtractor> chain = new ArrayList<>();
        for (String e : names.split(",")) {
            chain.add(Choices.parse(AnswerExtractor.class, e.strip(), "extractor"));
        }
        return chain;
    }

    /** A true/false parameter, false when absent; anything else fails naming it. */
    private static boolean flag(Map<String, String> p, String key) {
        String v = p.getOrDefault(key, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " '" + v + "': expected true or false");
        }
        return v.equals("true");
    }

    private static EquivalenceOptions equivalenceOptions(Map<String, String> p) {
        EquivalenceOptions d = EquivalenceOptions.DEFAULT;
        return new EquivalenceOptions(
                p.containsKey("percent") ? Choices.parse(EquivalenceOptions.Percent.class, p.get("percent"), "percent") : d.percent(),
                p.containsKey("decimal_comma") ? flag(p, "decimal_comma") : d.decimalComma(),
                p.containsKey("units") ? Choices.parse(EquivalenceOptions.Units.class, p.get("units"), "units") : d.units());
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
