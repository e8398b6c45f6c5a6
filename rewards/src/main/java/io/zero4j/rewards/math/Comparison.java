package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import io.zero4j.rewards.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One comparison of two normalised answers, structure first: {@code x \in S} is S; an inequality
 * becomes its interval when the other side is one (or both are inequalities); an answer with one
 * {@code \pm} becomes its two values (the sign read as + and as -, wherever it stands);
 * unions and sets compare members order-free; matrices entry by entry; tuples and intervals in
 * order with matching brackets; a bare comma list order-free; scalars by value. The reason for the
 * verdict goes to the trace under {@code why}.
 */
final class Comparison {
    private static final int POINTS = 6;
    private static final Pattern PLUS_MINUS = Pattern.compile("\\\\(pm|mp)(?![A-Za-z])");
    private final Budget budget;
    private final Trace trace;

    Comparison(Budget budget, Trace trace) {
        this.budget = budget;
        this.trace = trace;
    }

    boolean matches(String a, String b) {
        String memberA = Intervals.member(a);
        String memberB = Intervals.member(b);
        if (memberA != null || memberB != null) {
            return matches(memberA != null ? memberA : a, memberB != null ? memberB : b);
        }
        String intervalA = Intervals.of(a);
        String intervalB = Intervals.of(b);
        if ((intervalA != null || intervalB != null) && (intervalA != null || isInterval(a)) && (intervalB != null || isInterval(b))) {
            String x = intervalA != null ? intervalA : a;
            String y = intervalB != null ? intervalB : b;
            return because(matches(x, y), () -> "as intervals: " + x + " and " + y);
        }
        List<String> plusMinusA = plusMinus(a);
        List<String> plusMinusB = plusMinus(b);
        if (plusMinusA != null || plusMinusB != null) {
            List<String> xs = plusMinusA != null ? plusMinusA : members(a);
            List<String> ys = plusMinusB != null ? plusMinusB : members(b);
            return because(unordered(xs, ys), () -> "\\pm as two values: " + xs + " and " + ys);
        }
        List<String> unionA = MathEquivalence.splitTopLevel(a, "\\cup", budget);
        List<String> unionB = MathEquivalence.splitTopLevel(b, "\\cup", budget);
        if (unionA.size() > 1 || unionB.size() > 1) {
            return because(unordered(unionA, unionB), () -> "as unions, order-free: " + unionA + " and " + unionB);
        }
        boolean setA = isSet(a);
        boolean setB = isSet(b);
        if (setA || setB) {
            return because(setA && setB && unordered(members(a), members(b)), () -> setA && setB ? "as sets, order-free"
                    : "a set against a non-set");
        }
        List<List<String>> matrixA = Matrices.of(a, budget);
        List<List<String>> matrixB = Matrices.of(b, budget);
        if (matrixA != null || matrixB != null) {
            return because(matrixA != null && matrixB != null && sameMatrix(matrixA, matrixB),
                    () -> matrixA != null && matrixB != null ? "as matrices, entry by entry" : "a matrix against a non-matrix");
        }
        boolean tupleA = isTuple(a);
        boolean tupleB = isTuple(b);
        if (tupleA || tupleB) {
            return because(tupleA && tupleB && sameTuple(a, b), () -> tupleA && tupleB
                    ? "as tuples or intervals, in order, brackets included" : "a tuple or interval against a non-tuple");
        }
        List<String> listA = MathEquivalence.splitTopLevel(a, ",", budget);
        List<String> listB = MathEquivalence.splitTopLevel(b, ",", budget);
        if (listA.size() > 1 || listB.size() > 1) {
            return because(unordered(listA, listB), () -> "as lists of solutions, order-free: " + listA + " and " + listB);
        }
        return scalarsMatch(a, b);
    }

    /** Notes the verdict's reason when explaining; the reason is only built then ({@code how} is called once or never). */
    private boolean because(boolean verdict, Supplier<String> how) {
        return trace == null ? verdict : MathEquivalence.because(trace, verdict, how.get());
    }

    private static boolean isSet(String s) {
        return s.startsWith("\\{") && s.endsWith("\\}");
    }

    private boolean isTuple(String s) {
        return isBracketed(s) && MathEquivalence.splitTopLevel(s.substring(1, s.length() - 1), ",", budget).size() > 1;
    }

    private boolean isInterval(String s) {
        return MathEquivalence.splitTopLevel(s, "\\cup", budget).stream().allMatch(this::isTuple);
    }

    private static boolean isBracketed(String s) {
        return s.length() >= 2 && (s.charAt(0) == '(' || s.charAt(0) == '[')
                && (s.charAt(s.length() - 1) == ')' || s.charAt(s.length() - 1) == ']');
    }

    /** A set's members, or a list's, or the one answer. */
    private List<String> members(String s) {
        return MathEquivalence.splitTopLevel(isSet(s) ? s.substring(2, s.length() - 2) : s, ",", budget);
    }

    /** An answer with exactly one {@code \pm} (or {@code \mp}) as its two values, the sign read as + and as -; null otherwise. */
    private static List<String> plusMinus(String s) {
        Matcher m = PLUS_MINUS.matcher(s);
        if (!m.find()) {
            return null;
        }
        int at = m.start();
        int end = m.end();
        if (m.find() || end == s.length()) {
            return null;
        }
        return List.of(s.substring(0, at) + "+" + s.substring(end), s.substring(0, at) + "-" + s.substring(end));
    }

    private boolean sameTuple(String a, String b) {
        if (a.charAt(0) != b.charAt(0) || a.charAt(a.length() - 1) != b.charAt(b.length() - 1)) {
            return false;
        }
        List<String> xs = MathEquivalence.splitTopLevel(a.substring(1, a.length() - 1), ",", budget);
        List<String> ys = MathEquivalence.splitTopLevel(b.substring(1, b.length() - 1), ",", budget);
        if (xs.size() != ys.size()) {
            return false;
        }
        for (int i = 0; i < xs.size(); i++) {
            if (!scalarsMatch(xs.get(i), ys.get(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean sameMatrix(List<List<String>> a, List<List<String>> b) {
        if (a.size() != b.size() || a.get(0).size() != b.get(0).size()) {
            return false;
        }
        for (int r = 0; r < a.size(); r++) {
            for (int c = 0; c < a.get(r).size(); c++) {
                if (!matches(a.get(r).get(c), b.get(r).get(c))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every member of one list equals a distinct member of the other. */
    private boolean unordered(List<String> xs, List<String> ys) {
        if (xs.size() != ys.size()) {
            return false;
        }
        boolean[] used = new boolean[ys.size()];
        for (String x : xs) {
            boolean found = false;
            for (int j = 0; j < ys.size() && !found; j++) {
                if (!used[j] && (x.equals(ys.get(j)) || matches(x, ys.get(j)))) {
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

    boolean scalarsMatch(String a, String b) {
        Expression x;
        Expression y;
        try {
            x = ExpressionParser.parse(a, budget);
            y = ExpressionParser.parse(b, budget);
        } catch (ExpressionParser.ParseFailure e) {
            return because(false, () -> "because one side does not parse as an expression (" + e.getMessage() + "): " + a + " and " + b);
        }
        Set<String> vars = x.variables();
        if (!vars.equals(y.variables())) {
            Expression other = y;
            return because(false, () -> "because the variables differ: " + vars + " and " + other.variables());
        }
        return vars.isEmpty() ? constantsMatch(x, y, a.contains(".") || b.contains(".")) : atRandomPoints(x, y, vars);
    }

    private boolean constantsMatch(Expression x, Expression y, boolean decimal) {
        Value exactX = x.eval(Map.of(), budget);
        Value exactY = y.eval(Map.of(), budget);
        // a decimal is a rounded value: compare with tolerance
        Value vx = decimal ? Value.real(exactX.toDouble()) : exactX;
        Value vy = decimal ? Value.real(exactY.toDouble()) : exactY;
        Supplier<String> values = () -> vx.describe() + " and " + vy.describe();
        if (vx.matches(vy)) {
            return because(true, () -> (vx.isRational() ? "exactly: " : "within a relative 1e-6: ") + values.get());
        }
        return because(false, () -> "values: " + values.get());
    }

    private boolean atRandomPoints(Expression x, Expression y, Set<String> vars) {
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
                return because(false, () -> "at the random point " + env.values().stream().map(Value::describe).toList() + ": "
                        + vx.describe() + " and " + vy.describe());
            }
            agreed++;
        }
        int points = agreed;
        return because(agreed >= 3, () -> "at " + points + " of " + POINTS + " random points of " + vars + " (3 needed)");
    }
}
