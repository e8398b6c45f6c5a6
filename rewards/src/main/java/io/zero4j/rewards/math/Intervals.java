package io.zero4j.rewards.math;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inequality in one variable as the interval it describes, so {@code x > 3} compares with
 * {@code (3, \infty)} and {@code 5 \geq x} with {@code x \leq 5}: {@code x < c}, {@code c < x},
 * {@code a < x < b}; {@link #member} reads {@code x \in S} as S. Input is normalised: no spaces, and the
 * relation commands already written as {@code < > ≤ ≥}. The bounds are left as text for the
 * scalar comparison. Anything else, two variables or a bound with a letter included, is not an
 * inequality here.
 */
final class Intervals {
    private static final String OP = "([<>≤≥])";
    private static final String VAR = "([A-Za-z])";
    private static final String BOUND = "([^<>≤≥]+)";
    private static final Pattern ONE_SIDED = Pattern.compile(VAR + OP + BOUND);
    private static final Pattern ONE_SIDED_FLIPPED = Pattern.compile(BOUND + OP + VAR);
    private static final Pattern TWO_SIDED = Pattern.compile(BOUND + OP + VAR + OP + BOUND);
    private static final Pattern COMMAND = Pattern.compile("\\\\[A-Za-z]+");
    private static final Pattern MEMBER = Pattern.compile(VAR + "\\\\in(?![a-z])(.+)");

    private Intervals() {
    }

    /** The interval {@code normalized} describes, as text, or null when it is not one inequality. */
    static String of(String normalized) {
        if (normalized.length() > MathEquivalence.MAX_ANSWER_LENGTH || !mayRelate(normalized)) {
            return null;
        }
        Matcher m = TWO_SIDED.matcher(normalized);
        if (m.matches() && isBound(m.group(1)) && isBound(m.group(5))) {
            boolean up = less(m.group(2));
            if (up != less(m.group(4))) {
                return null;
            }
            String low = up ? m.group(1) : m.group(5);
            String high = up ? m.group(5) : m.group(1);
            boolean lowClosed = inclusive(up ? m.group(2) : m.group(4));
            boolean highClosed = inclusive(up ? m.group(4) : m.group(2));
            return (lowClosed ? "[" : "(") + low + "," + high + (highClosed ? "]" : ")");
        }
        m = ONE_SIDED.matcher(normalized);
        if (m.matches() && isBound(m.group(3))) {
            return ray(m.group(3), !less(m.group(2)), inclusive(m.group(2)));
        }
        m = ONE_SIDED_FLIPPED.matcher(normalized);
        if (m.matches() && isBound(m.group(1))) {
            return ray(m.group(1), less(m.group(2)), inclusive(m.group(2)));
        }
        return null;
    }

    /** {@code (c, \infty)} when the variable lies above {@code c}, {@code (-\infty, c)} below. */
    private static String ray(String bound, boolean above, boolean closed) {
        return above ? (closed ? "[" : "(") + bound + ",\\infty)" : "(-\\infty," + bound + (closed ? "]" : ")");
    }

    /** S of {@code x \in S}, or null when {@code normalized} is not a membership. */
    static String member(String normalized) {
        if (normalized.length() > MathEquivalence.MAX_ANSWER_LENGTH || !normalized.contains("\\in")) {
            return null;
        }
        Matcher m = MEMBER.matcher(normalized);
        return m.matches() ? m.group(2) : null;
    }

    /** Whether a relation sign or {@code \\in} occurs: most answers are not inequalities, and the regexes cost. */
    private static boolean mayRelate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '>' || c == '≤' || c == '≥') {
                return true;
            }
        }
        return false;
    }

    /** A bound is a constant: no {@code =}, and no letter outside a command but {@code e}. */
    private static boolean isBound(String s) {
        if (s.isEmpty() || s.contains("=")) {
            return false;
        }
        String outsideCommands = COMMAND.matcher(s).replaceAll("");
        return outsideCommands.chars().noneMatch(c -> Character.isLetter(c) && c != 'e');
    }

    private static boolean less(String op) {
        return op.equals("<") || op.equals("≤");
    }

    private static boolean inclusive(String op) {
        return op.equals("≤") || op.equals("≥");
    }
}
