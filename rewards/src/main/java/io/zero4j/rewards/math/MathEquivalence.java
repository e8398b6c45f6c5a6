package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import io.zero4j.rewards.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether two answers are the same mathematical object. Both are normalised
 * ({@link AnswerNormalizer}), then compared as structures and values ({@link Comparison}): exactly
 * when both are rational, within a relative 1e-6 when not, and, with variables, at random points.
 * Two answers that are the same text (after trimming) are equal at once, however long or deeply
 * nested; past {@link #MAX_ANSWER_LENGTH} characters nothing else is.
 */
public final class MathEquivalence {
    /** Longer answers are not answers: they fail fast. */
    public static final int MAX_ANSWER_LENGTH = 1000;

    private MathEquivalence() {
    }

    /** With the default options and no explanation. */
    public static boolean equivalent(String predicted, String gold, Budget budget) {
        return equivalent(predicted, gold, EquivalenceOptions.DEFAULT, budget, null);
    }

    /**
     * Whether {@code predicted} and {@code gold} are equal under {@code options}; a non-null
     * {@code trace} receives both canonical forms and the reason ({@code predicted_canonical},
     * {@code gold_canonical}, {@code why}).
     */
    public static boolean equivalent(String predicted, String gold, EquivalenceOptions options, Budget budget, Trace trace) {
        if (predicted == null || gold == null || predicted.isBlank() || gold.isBlank()) {
            return because(trace, false, "because one side is empty");
        }
        if (predicted.strip().equals(gold.strip())) {
            return because(trace, true, "as the same text"); // whatever its length or depth, before any budget is spent
        }
        if (predicted.length() > MAX_ANSWER_LENGTH || gold.length() > MAX_ANSWER_LENGTH) {
            return because(trace, false, "because an answer is longer than " + MAX_ANSWER_LENGTH + " characters");
        }
        AnswerNormalizer.Normalized a = AnswerNormalizer.normalize(predicted, options, budget);
        AnswerNormalizer.Normalized b = AnswerNormalizer.normalize(gold, options, budget);
        if (options.units() == EquivalenceOptions.Units.MATCH && !a.unit().isEmpty() && !b.unit().isEmpty()
                && !a.unit().equals(b.unit())) {
            return because(trace, false, "because the units differ: " + a.unit() + " and " + b.unit());
        }
        EquivalenceOptions.Percent mode = options.percent();
        EquivalenceOptions.Percent first = mode == EquivalenceOptions.Percent.EITHER ? EquivalenceOptions.Percent.NUMBER : mode;
        if (compare(a.text(first), b.text(first), budget, trace)) {
            return true;
        }
        // EITHER: equal when every mark is a unit (above) or every mark means "over 100" (here), never a mix.
        return mode == EquivalenceOptions.Percent.EITHER && (a.percent() || b.percent())
                && compare(a.text(EquivalenceOptions.Percent.FRACTION), b.text(EquivalenceOptions.Percent.FRACTION), budget, trace);
    }

    private static boolean compare(String a, String b, Budget budget, Trace trace) {
        Trace.note(trace, "predicted_canonical", a);
        Trace.note(trace, "gold_canonical", b);
        if (a.isEmpty() || b.isEmpty()) {
            return because(trace, false, "because nothing is left of one side after normalising");
        }
        if (a.equals(b)) {
            return because(trace, true, "as the same canonical form");
        }
        return new Comparison(budget, trace).matches(a, b);
    }

    /** Notes the verdict and how it was reached under {@code why}: "equal " or "not equal " then {@code how}. */
    static boolean because(Trace trace, boolean verdict, String how) {
        Trace.note(trace, "why", (verdict ? "equal " : "not equal ") + how);
        return verdict;
    }

    /** Splits at {@code sep} outside any brackets. */
    static List<String> splitTopLevel(String s, String sep, Budget budget) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            budget.check();
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && s.startsWith(sep, i)) {
                parts.add(s.substring(start, i));
                start = i + sep.length();
                i = start - 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
