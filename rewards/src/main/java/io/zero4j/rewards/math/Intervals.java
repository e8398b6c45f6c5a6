package io.zero4j.rewards.math;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inequality in one variable as the interval it describes, so {@code x > 3} compares with
 * {@code (3, \infty)} and {@code 5 \geq x} with {@code x \leq 5}: {@code x < c}, {@code c < x},
 * {@code a < x < b} and {@code x \in S} (which is S). Input is normalised: no spaces, and the
 * relation commands already written as {@code < > ≤ ≥}. The bounds are left as text for the
 * scalar comparison. Anything else, two variables included, is not an inequality here.
 */
final class Intervals {
    private static final String OP = "([<>≤≥])";
    private static final String VAR = "([A-Za-z])";
    private static final String BOUND = "([^<>≤≥]+)";
    private static final Pattern ONE_SIDED = Pattern.compile(VAR + OP + BOUND);
    private static final Pattern ONE_SIDED_FLIPPED = Pattern.compile(BOUND + OP + VAR);
    private static final Pattern TWO_SIDED = Pattern.compile(BOUND + OP + VAR + OP + BOUND);
    private static final Pattern MEMBER = Pattern.compile(VAR + "\\\\in(?![a-z])(.+)");

    private Intervals() {
    }

    /** The interval {@code normalized} describes, as text, or null when it is not one inequality. */
    static String of(String normalized) {
        if (normalized.length() > MathEquivalence.MAX_ANSWER_LENGTH || !mayRelate(normalized)) {
            return null;
        }
        Matcher m = MEMBER.matcher(normalized);
        if (m.matches()) {
            return m.group(2);
        }
        m = TWO_SIDED.matcher(normalized);
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

    /** Whether a relation sign or {@code \\in} occurs: most answers are not inequalities, and the regexes cost. */
    private static boolean mayRelate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '>' || c == '≤' || c == '≥') {
                return true;
            }
        }
        return s.contains("\\in");
    }

    private static boolean isBound(String s) {
        return !s.isEmpty() && !s.contains("=");
    }

    private static boolean less(String op) {
        return op.equals("<") || op.equals("≤");
    }

    private static boolean inclusive(String op) {
        return op.equals("≤") || op.equals("≥");
    }
}
