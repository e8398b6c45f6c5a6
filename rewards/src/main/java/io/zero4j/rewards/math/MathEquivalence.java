package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Whether two answers are the same mathematical object. Both are normalised; then a union
 * ({@code \cup}) or set ({@code \{...\}}) compares its members order-free, a tuple or interval
 * compares them in order with matching brackets, a bare comma list (several solutions) order-free;
 * scalars are parsed and evaluated: exactly when both are rational, within a relative 1e-6 when not,
 * and, with variables, at random points (the same variables on both sides, agreeing everywhere).
 * A percent answer also matches its value over 100. Two answers that are the same text (after
 * trimming) are equal at once, however long or deeply nested; past {@link #MAX_ANSWER_LENGTH}
 * characters nothing else is.
 */
public final class MathEquivalence {
    /** Longer answers are not answers: they fail fast. */
    public static final int MAX_ANSWER_LENGTH = 1000;
    private static final int POINTS = 6;

    private MathEquivalence() {
    }

    public static boolean equivalent(String predicted, String gold, Budget budget) {
        if (predicted == null || gold == null || predicted.isBlank() || gold.isBlank()) {
            return false;
        }
        if (predicted.strip().equals(gold.strip())) {
            return true; // identical answers are equal whatever their length or depth, before any budget is spent
        }
        if (predicted.length() > MAX_ANSWER_LENGTH || gold.length() > MAX_ANSWER_LENGTH) {
            return false;
        }
        AnswerNormalizer.Normalized a = AnswerNormalizer.normalize(predicted, budget);
        AnswerNormalizer.Normalized b = AnswerNormalizer.normalize(gold, budget);
        if (a.text().isEmpty() || b.text().isEmpty()) {
            return false;
        }
        if (a.text().equals(b.text())) {
            return true;
        }
        return structuresMatch(a.text(), b.text(), a.percent() || b.percent(), budget);
    }

    private static boolean structuresMatch(String a, String b, boolean percent, Budget budget) {
        List<String> unionA = splitTopLevel(a, "\\cup", budget);
        List<String> unionB = splitTopLevel(b, "\\cup", budget);
        if (unionA.size() > 1 || unionB.size() > 1) {
            return unordered(unionA, unionB, percent, budget);
        }
        boolean setA = a.startsWith("\\{") && a.endsWith("\\}");
        boolean setB = b.startsWith("\\{") && b.endsWith("\\}");
        if (setA || setB) {
            return setA && setB && unordered(splitTopLevel(a.substring(2, a.length() - 2), ",", budget),
                    splitTopLevel(b.substring(2, b.length() - 2), ",", budget), percent, budget);
        }
        boolean tupleA = isBracketed(a) && splitTopLevel(a.substring(1, a.length() - 1), ",", budget).size() > 1;
        boolean tupleB = isBracketed(b) && splitTopLevel(b.substring(1, b.length() - 1), ",", budget).size() > 1;
        if (tupleA || tupleB) {
            if (!(tupleA && tupleB) || a.charAt(0) != b.charAt(0) || a.charAt(a.length() - 1) != b.charAt(b.length() - 1)) {
                return false;
            }
            List<String> xs = splitTopLevel(a.substring(1, a.length() - 1), ",", budget);
            List<String> ys = splitTopLevel(b.substring(1, b.length() - 1), ",", budget);
            if (xs.size() != ys.size()) {
                return false;
            }
            for (int i = 0; i < xs.size(); i++) {
                if (!scalarsMatch(xs.get(i), ys.get(i), percent, budget)) {
                    return false;
                }
            }
            return true;
        }
        List<String> listA = splitTopLevel(a, ",", budget);
        List<String> listB = splitTopLevel(b, ",", budget);
        if (listA.size() > 1 || listB.size() > 1) {
            return unordered(listA, listB, percent, budget);
        }
        return scalarsMatch(a, b, percent, budget);
    }

    private static boolean isBracketed(String s) {
        return s.length() >= 2 && (s.charAt(0) == '(' || s.charAt(0) == '[')
                && (s.charAt(s.length() - 1) == ')' || s.charAt(s.length() - 1) == ']');
    }

    /** Every member of one list equals a distinct member of the other. */
    private static boolean unordered(List<String> xs, List<String> ys, boolean percent, Budget budget) {
        if (xs.size() != ys.size()) {
            return false;
        }
        boolean[] used = new boolean[ys.size()];
        for (String x : xs) {
            boolean found = false;
            for (int j = 0; j < ys.size() && !found; j++) {
                if (!used[j] && (x.equals(ys.get(j)) || structuresMatch(x, ys.get(j), percent, budget))) {
                    used[j] = true;
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    static boolean scalarsMatch(String a, String b, boolean percent, Budget budget) {
        Expression x;
        Expression y;
        try {
            x = ExpressionParser.parse(a, budget);
            y = ExpressionParser.parse(b, budget);
        } catch (ExpressionParser.ParseFailure e) {
            return false;
        }
        Set<String> vars = x.variables();
        if (!vars.equals(y.variables())) {
            return false;
        }
        if (vars.isEmpty()) {
            Value vx = x.eval(Map.of(), budget);
            Value vy = y.eval(Map.of(), budget);
            if (a.contains(".") || b.contains(".")) { // a decimal is a rounded value: compare with tolerance
                vx = Value.real(vx.toDouble());
                vy = Value.real(vy.toDouble());
            }
            if (vx.matches(vy)) {
                return true;
            }
            Value hundred = Value.integer(100);
            return percent && (vx.divide(hundred).matches(vy) || vy.divide(hundred).matches(vx));
        }
        SplittableRandom rng = new SplittableRandom(0x5EED);
        int agreed = 0;
        for (int i = 0; i < POINTS; i++) {
            Map<String, Value> env = new HashMap<>();
            for (String v : vars) {
                env.put(v, Value.real(0.3 + 2.4 * rng.nextDouble()));
            }
            Value vx = x.eval(env, budget);
            Value vy = y.eval(env, budget);
            if (vx.isNaN() || vy.isNaN()) {
                continue;
            }
            if (!vx.matches(vy)) {
                return false;
            }
            agreed++;
        }
        return agreed >= 3;
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
