package io.zero4j.rewards;

import io.zero4j.rewards.math.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * TinyZero's countdown task. The answer is the content of the last {@code <answer>...</answer>}
 * (no tags: no answer, score 0); an optional trailing {@code = N} is cut off. It must be an
 * arithmetic expression over integers, {@code + - * /} (also {@code × ÷}), unary {@code -} and
 * {@code +} (as in {@code -3 + 5 * 2} or {@code 5 - -3}, which TinyZero's Python {@code eval}
 * accepts) and parentheses, that uses each given number exactly once and equals the target within
 * 1e-5 (absolute, as TinyZero). Correct scores {@code correct} (1.0); an expression that parses
 * but misses the target or the numbers scores {@code formatOnly} (0.1); anything else 0. Where it
 * differs from TinyZero: {@code **} and {@code //} are refused (TinyZero's eval runs them), and text
 * that does not parse scores 0 where TinyZero gives the format score. Parsed by hand and evaluated
 * in exact rationals: nothing is ever run as code, and nesting deeper than 50 is refused.
 */
public final class CountdownReward implements RewardFunction {
    private static final int MAX_LENGTH = 500;
    private final double correct;
    private final double formatOnly;

    public CountdownReward(double correct, double formatOnly) {
        this.correct = correct;
        this.formatOnly = formatOnly;
    }

    @Override
    public Set<SampleField> requires() {
        return Set.of(SampleField.NUMBERS_AND_TARGET);
    }

    @Override
    public String name() {
        return Choices.name(RewardKind.COUNTDOWN);
    }

    @Override
    public Score score(Sample sample, Budget budget) {
        Equation e = equation(sample, budget);
        if (e == null) {
            return Score.unparseable(0.0);
        }
        boolean right = e.usesTheNumbers() && !e.value().isNaN()
                && Math.abs(e.value().toDouble() - sample.target()) < 1e-5;
        return Score.judged(right ? correct : formatOnly);
    }

    /** A parsed answer: its exact value, and whether it uses each given number exactly once. */
    public record Equation(Value value, boolean usesTheNumbers) {
    }

    /** The completion's equation, or null when it has none that parses (or the problem has no target). */
    public static Equation equation(Sample sample, Budget budget) {
        String text = AnswerExtractor.ANSWER_TAG.extract(sample.completion(), budget);
        if (text == null || sample.target() == null || text.length() > MAX_LENGTH) {
            return null;
        }
        int eq = text.indexOf('=');
        if (eq >= 0) {
            text = text.substring(0, eq);
        }
        Parser p = new Parser(text, budget);
        Value v;
        try {
            v = p.parse();
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<Long> used = new ArrayList<>(p.literals);
        List<Long> given = new ArrayList<>(sample.numbers());
        Collections.sort(used);
        Collections.sort(given);
        return new Equation(v, used.equals(given));
    }

    /** expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*; factor := ('-'|'+') factor | int | '(' expr ')'. */
    private static final class Parser {
        private final String s;
        private final Budget budget;
        private final List<Long> literals = new ArrayList<>();
        private int pos;
        private int depth;

        Parser(String s, Budget budget) {
            this.s = s;
            this.budget = budget;
        }

        Value parse() {
            Value v = expr();
            skipSpaces();
            if (pos != s.length()) {
                throw new IllegalArgumentException("trailing text");
            }
            return v;
        }

        private Value expr() {
            if (++depth > 50) {
                throw new IllegalArgumentException("too deep");
            }
            Value v = term();
            while (true) {
                budget.check();
                skipSpaces();
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    char op = s.charAt(pos++);
                    Value r = term();
                    v = op == '+' ? v.add(r) : v.add(r.negate());
                } else {
                    depth--;
                    return v;
                }
            }
        }

        private Value term() {
            Value v = factor();
            while (true) {
                budget.check();
                skipSpaces();
                if (pos < s.length() && (s.charAt(pos) == '*' || s.charAt(pos) == '/'
                        || s.charAt(pos) == '×' || s.charAt(pos) == '÷')) {
                    char op = s.charAt(pos++);
                    Value r = factor();
                    v = op == '*' || op == '×' ? v.multiply(r) : v.divide(r);
                } else {
                    return v;
                }
            }
        }

        private Value factor() {
            skipSpaces();
            if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
                boolean minus = s.charAt(pos++) == '-';
                if (++depth > 50) {
                    throw new IllegalArgumentException("too deep");
                }
                Value v = factor();
                depth--;
                return minus ? v.negate() : v;
            }
            if (pos < s.length() && s.charAt(pos) == '(') {
                pos++;
                Value v = expr();
                skipSpaces();
                if (pos >= s.length() || s.charAt(pos) != ')') {
                    throw new IllegalArgumentException("missing )");
                }
                pos++;
                return v;
            }
            int start = pos;
            while (pos < s.length() && pos - start < 12 && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == start || (pos < s.length() && Character.isDigit(s.charAt(pos)))) {
                throw new IllegalArgumentException("expected a number at " + start);
            }
            long n = Long.parseLong(s.substring(start, pos));
            literals.add(n);
            return Value.rational(BigInteger.valueOf(n), BigInteger.ONE);
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
