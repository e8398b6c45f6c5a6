package io.zero4j.rewards;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named reward functions with weights. The total is the weighted sum; each function's own score is
 * kept as its own column for logging, and timeouts and unparseable answers are counted per function.
 */
public final class RewardSet {
    public static final long DEFAULT_TIMEOUT_MILLIS = 50;

    public record Weighted(RewardFunction function, double weight) {
    }

    /**
     * One completion's scores: the weighted total and each function's score by name; with
     * {@code explanations} (empty unless asked for) each function's {@link Trace} entries by name.
     */
    public record Judgement(double total, Map<String, Double> scores, Map<String, Score.Outcome> outcomes,
                            Map<String, Map<String, String>> explanations) {
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
     * shared parameters, each function taking the ones it knows; an unknown name fails with the list
     * of known ones, and a parameter no named function takes fails too.
     */
    public static RewardSet parse(List<String> specs, Map<String, String> params, long timeoutMillis) {
        List<Weighted> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String spec : specs) {
            String name = spec.strip();
            int eq = name.indexOf('=');
            String weightText = eq >= 0 ? name.substring(eq + 1).strip() : null;
            name = eq >= 0 ? name.substring(0, eq).strip() : name;
            RewardKind kind = RewardKind.named(name); // the name first: a misspelt one is not blamed on its weight
            double weight = 1.0;
            if (weightText != null) {
                try {
                    weight = Double.parseDouble(weightText);
                } catch (NumberFormatException e) {
                    weight = Double.NaN;
                }
                if (!Double.isFinite(weight)) {
                    throw new IllegalArgumentException("reward '" + spec + "': the weight after '=' must be a finite number");
                }
            }
            Map<String, String> own = new LinkedHashMap<>();
            for (String key : kind.parameters()) {
                if (params.containsKey(key)) {
                    own.put(key, params.get(key));
                    taken.add(key);
                }
            }
            out.add(new Weighted(kind.create(own), weight));
        }
        for (String key : params.keySet()) {
            if (!taken.contains(key)) {
                throw new IllegalArgumentException("parameter '" + key + "' is taken by none of the rewards " + specs);
            }
        }
        return new RewardSet(out, timeoutMillis);
    }

    /** What the functions read from a problem, besides the completion. */
    public Set<SampleField> requires() {
        Set<SampleField> out = EnumSet.noneOf(SampleField.class);
        functions.forEach(w -> out.addAll(w.function().requires()));
        return out;
    }

    /**
     * What "correct" means for a run scored by this set, for pass@k and maj@k: the task's own
     * verifier at full marks, countdown's (and its vote) when the set scores countdown, else the
     * set's own {@code accuracy} (its extractors and options), else the default accuracy reward.
     */
    public record Verifier(RewardFunction correctness) {
        /** The vote reads answers through the verifier, so it is an {@code accuracy} or a {@code countdown}. */
        public Verifier {
            if (!(correctness instanceof AccuracyReward) && !(correctness instanceof CountdownReward)) {
                throw new IllegalArgumentException("a verifier is accuracy or countdown, not " + correctness.name());
            }
        }

        /** How maj@k tells its answers apart: by the countdown equation's value, or as math. */
        public MajorityVote.Task task() {
            return correctness instanceof CountdownReward ? MajorityVote.Task.COUNTDOWN : MajorityVote.Task.MATH;
        }

        /** Whether {@code sample} earns the verifier's full marks within {@code millis}. */
        public boolean isCorrect(Sample sample, long millis) {
            return correctness.safeScore(sample, millis).value() == 1.0;
        }
    }

    public Verifier verifier() {
        boolean countdown = functions.stream().anyMatch(w -> w.function() instanceof CountdownReward);
        if (countdown) {
            return new Verifier(new CountdownReward(1.0, 0.0));
        }
        RewardFunction accuracy = functions.stream().map(Weighted::function).filter(f -> f instanceof AccuracyReward)
                .findFirst().orElse(AccuracyReward.withDefaultChain());
        return new Verifier(accuracy);
    }

    public List<String> names() {
        return functions.stream().map(w -> w.function().name()).toList();
    }

    public Judgement judge(Sample sample) {
        return judge(sample, false);
    }

    /** As {@link #judge(Sample)}; with {@code explain}, each function also says what it read and why. */
    public Judgement judge(Sample sample, boolean explain) {
        double total = 0;
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Score.Outcome> outcomes = new LinkedHashMap<>();
        Map<String, Map<String, String>> explanations = new LinkedHashMap<>();
        for (Weighted w : functions) {
            Trace trace = explain ? new Trace() : null;
            Score s = w.function().safeScore(sample, timeoutMillis, trace);
            total += w.weight() * s.value();
            scores.put(w.function().name(), s.value());
            outcomes.put(w.function().name(), s.outcome());
            if (trace != null) {
                explanations.put(w.function().name(), trace.entries());
            }
        }
        return new Judgement(total, scores, outcomes, explanations);
    }
}
