package io.zero4j.rewards;

import io.zero4j.rewards.math.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * maj@k's vote: completions whose answers are the same mathematical object form one class, and the
 * largest class wins (the one seen first, on a tie). A completion with no answer, or with an answer
 * that does not answer the problem, casts no vote. Math answers are read and classed as the run's
 * {@link AccuracyReward} reads and compares them (its extractors, its equivalence options, and the
 * one value of an answer in words), so {@code 1/2}, {@code 0.5} and {@code \frac{1}{2}} are one class;
 * countdown answers by the exact value of a valid equation (one that uses each given number once),
 * so two different equations that both make the target are one vote each for the same class.
 */
public final class MajorityVote {
    /** How the answers of one task are told apart. */
    public enum Task { MATH, COUNTDOWN }

    private MajorityVote() {
    }

    /** The index of one completion of the winning class under {@code verifier}, or -1 when none has an answer. */
    public static int winner(List<Sample> samples, RewardSet.Verifier verifier, long millisPerSample) {
        List<Object> keys = new ArrayList<>();    // a class's representative answer
        List<Integer> firsts = new ArrayList<>(); // the first completion in each class
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Budget budget = Budget.ofMillis(millisPerSample);
            Object answer;
            try {
                answer = answer(samples.get(i), verifier, budget);
            } catch (RuntimeException | StackOverflowError e) {
                answer = null; // an answer that cannot be read (in time) casts no vote
            }
            if (answer == null) {
                continue;
            }
            int cls = -1;
            for (int c = 0; c < keys.size() && cls < 0; c++) {
                try {
                    cls = same(keys.get(c), answer, verifier, budget) ? c : -1;
                } catch (RuntimeException | StackOverflowError e) {
                    break;
                }
            }
            if (cls < 0) {
                keys.add(answer);
                firsts.add(i);
                counts.add(1);
            } else {
                counts.set(cls, counts.get(cls) + 1);
            }
        }
        int best = -1;
        for (int c = 0; c < counts.size(); c++) {
            best = best < 0 || counts.get(c) > counts.get(best) ? c : best;
        }
        return best < 0 ? -1 : firsts.get(best);
    }

    private static Object answer(Sample s, RewardSet.Verifier verifier, Budget budget) {
        if (verifier.task() == Task.COUNTDOWN) {
            CountdownReward.Equation e = CountdownReward.equation(s, budget);
            return e == null || !e.usesTheNumbers() || e.value().isNaN() ? null : e.value();
        }
        return ((AccuracyReward) verifier.correctness()).voteKey(s.completion(), budget);
    }

    private static boolean same(Object a, Object b, RewardSet.Verifier verifier, Budget budget) {
        return verifier.task() == Task.COUNTDOWN ? ((Value) a).matches((Value) b)
                : ((AccuracyReward) verifier.correctness()).sameAnswer((String) b, (String) a, budget);
    }
}
