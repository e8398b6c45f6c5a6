package io.zero4j.rewards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named reward functions with weights. The total is the weighted sum; each function's own score is
 * kept as its own column for logging, and timeouts and unparseable answers are counted per function.
 */
public final class RewardSet {
    public static final long DEFAULT_TIMEOUT_MILLIS = 50;

    public record Weighted(RewardFunction function, double weight) {
    }

    /** One completion's scores: the weighted total and each function's score by name. */
    public record Judgement(double total, Map<String, Double> scores, Map<String, Score.Outcome> outcomes) {
    }

    private final List<Weighted> functions;
    private final long timeoutMillis;

    public RewardSet(List<Weighted> functions, long timeoutMillis) {
        if (functions.isEmpty()) {
            throw new IllegalArgumentException("a reward set needs at least one function");
        }
        this.functions = List.copyOf(functions);
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Builds functions from names with optional weights ({@code accuracy}, {@code format=0.5}) and
     * shared parameters; an unknown name fails with the list of known ones.
     */
    public static RewardSet parse(List<String> specs, Map<String, String> params, long timeoutMillis) {
        List<Weighted> out = new ArrayList<>();
        for (String spec : specs) {
            String name = spec.strip();
            double weight = 1.0;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                try {
                    weight = Double.parseDouble(name.substring(eq + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("reward '" + spec + "': weight after '=' must be a number");
                }
                name = name.substring(0, eq).strip();
            }
            out.add(new Weighted(Rewards.create(name, params), weight));
        }
        return new RewardSet(out, timeoutMillis);
    }

    public List<String> names() {
        return functions.stream().map(w -> w.function().name()).toList();
    }

    public Judgement judge(Sample sample) {
        double total = 0;
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Score.Outcome> outcomes = new LinkedHashMap<>();
        for (Weighted w : functions) {
            Score s = w.function().safeScore(sample, timeoutMillis);
            total += w.weight() * s.value();
            scores.put(w.function().name(), s.value());
            outcomes.put(w.function().name(), s.outcome());
        }
        return new Judgement(total, scores, outcomes);
    }
}
