package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.rewards.math.MathEquivalence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random values, each written several equivalent ways, score equal against their plain form;
 * the same value perturbed scores unequal. Rationals (fraction macros, shorthand, decimals, mixed
 * numbers, scaled terms), radicals ({@code \sqrt{k^2 m}} against {@code k\sqrt{m}}), intervals
 * (as inequalities) and sets (shuffled).
 */
class EquivalencePropertiesTest {
    private static final int CASES = 300;
    private final Random random = new Random(15);

    private static void equal(String a, String b) {
        assertTrue(MathEquivalence.equivalent(a, b, Budget.ofMillis(500)), a + " should equal " + b);
    }

    private static void unequal(String a, String b) {
        assertFalse(MathEquivalence.equivalent(a, b, Budget.ofMillis(500)), a + " should not equal " + b);
    }

    @Test
    void rationals() {
        for (int i = 0; i < CASES; i++) {
            int p = random.nextInt(199) - 99;
            int q = 1 + random.nextInt(40);
            int k = 2 + random.nextInt(5);
            String plain = p + "/" + q;
            String sign = p < 0 ? "-" : "";
            int a = Math.abs(p);
            for (String form : new String[] {"\\frac{" + p + "}{" + q + "}", sign + "\\dfrac{" + a + "}{" + q + "}",
                "\\tfrac{" + p * k + "}{" + q * k + "}", "\\left(" + sign + "\\cfrac{" + a + "}{" + q + "}\\right)",
                "(" + p + ")/(" + q + ")", "x = \\frac{" + p + "}{" + q + "}", p + "\\div" + q}) {
                equal(form, plain);
            }
            if (a < 10 && q < 10) {
                equal(sign + "\\frac" + a + q, plain); // the \frac12 shorthand
            }
            if (a > q) {
                equal(sign + (a / q) + "\\frac{" + (a % q) + "}{" + q + "}", plain); // mixed number, -3\frac{1}{2} = -7/2
            }
            if (terminates(q)) {
                equal(new java.math.BigDecimal(p).divide(new java.math.BigDecimal(q)).toPlainString(), plain);
            }
            unequal("\\frac{" + (p + 1) + "}{" + q + "}", plain);
            if (p != 0) {
                unequal("\\frac{" + p + "}{" + (q + 1) + "}", plain);
            }
        }
    }

    @Test
    void radicals() {
        for (int i = 0; i < CASES; i++) {
            int k = 2 + random.nextInt(9);
            int m = new int[] {2, 3, 5, 6, 7, 10, 11}[random.nextInt(7)];
            String plain = k + "\\sqrt{" + m + "}";
            equal("\\sqrt{" + k * k * m + "}", plain);
            equal("\\sqrt{" + m + "}\\cdot" + k, plain);
            equal("\\frac{" + 2 * k + "\\sqrt{" + m + "}}{2}", plain);
            unequal("\\sqrt{" + (k * k * m + 1) + "}", plain);
            unequal((k + 1) + "\\sqrt{" + m + "}", plain);
        }
    }

    @Test
    void intervalsAndInequalities() {
        for (int i = 0; i < CASES; i++) {
            int low = random.nextInt(41) - 20;
            int high = low + 1 + random.nextInt(20);
            boolean lowClosed = random.nextBoolean();
            boolean highClosed = random.nextBoolean();
            String interval = (lowClosed ? "[" : "(") + low + ", " + high + (highClosed ? "]" : ")");
            String inequality = low + (lowClosed ? " \\le " : " < ") + "x" + (highClosed ? " \\leq " : " < ") + high;
            equal(inequality, interval);
            equal(high + (highClosed ? " \\ge " : " > ") + "x" + (lowClosed ? " \\geq " : " > ") + low, interval);
            equal("x \\in " + interval, interval);
            equal("\\left" + interval.charAt(0) + "\\frac{" + 2 * low + "}{2}," + high + "\\right" + interval.charAt(interval.length() - 1),
                    interval);
            unequal((lowClosed ? "(" : "[") + low + ", " + high + (highClosed ? "]" : ")"), interval);
            unequal((lowClosed ? "[" : "(") + low + ", " + (high + 1) + (highClosed ? "]" : ")"), interval);
            String ray = "(" + low + ", \\infty)";
            equal("x > " + low, ray);
            unequal("x \\geq " + low, ray);
            unequal("x < " + low, ray);
        }
    }

    @Test
    void setsInAnyOrder() {
        for (int i = 0; i < CASES; i++) {
            List<Integer> members = new ArrayList<>();
            int n = 2 + random.nextInt(4);
            while (members.size() < n) {
                int v = random.nextInt(61) - 30;
                if (!members.contains(v)) {
                    members.add(v);
                }
            }
            String set = "\\{" + String.join(", ", members.stream().map(String::valueOf).toList()) + "\\}";
            List<Integer> shuffled = new ArrayList<>(members);
            Collections.shuffle(shuffled, random);
            equal("\\{" + String.join(",", shuffled.stream().map(v -> "\\frac{" + 3 * v + "}{3}").toList()) + "\\}", set);
            List<Integer> changed = new ArrayList<>(shuffled);
            changed.set(0, changed.get(0) + 100);
            unequal("\\{" + String.join(",", changed.stream().map(String::valueOf).toList()) + "\\}", set);
            unequal("\\{" + String.join(",", shuffled.subList(1, n).stream().map(String::valueOf).toList()) + "\\}", set);
        }
    }

    private static boolean terminates(int q) {
        while (q % 2 == 0) {
            q /= 2;
        }
        while (q % 5 == 0) {
            q /= 5;
        }
        return q == 1;
    }
}
