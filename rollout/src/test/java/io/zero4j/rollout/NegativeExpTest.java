package io.zero4j.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NegativeExpTest {
    /** Units in the last place between the fast and the library value. */
    private static double ulps(double d) {
        double exact = Math.exp(-d);
        return Math.abs(NegativeExp.of(d) - exact) / Math.ulp(exact);
    }

    @Test
    void agreesWithMathExpToAFewUlps() {
        SplittableRandom rng = new SplittableRandom(11);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double d = i % 2 == 0 ? rng.nextDouble() * 30 : rng.nextDouble() * 700;
            worst = Math.max(worst, ulps(d));
        }
        for (int k = 0; k <= 512 * 700 / 0.6931; k++) { // half-steps of the table, where r is at an end of its range
            double d = k * (Math.log(2) / 512);
            worst = Math.max(worst, Math.max(ulps(d), Math.max(ulps(Math.nextUp(d)), ulps(Math.nextDown(Math.max(d, 0))))));
        }
        assertTrue(worst <= 3, "worst error " + worst + " ulp");
    }

    @Test
    void edgesFallBackToTheLibrary() {
        assertEquals(1.0, NegativeExp.of(0), 0);
        assertEquals(0.0, NegativeExp.of(Double.POSITIVE_INFINITY), 0);
        assertEquals(Math.exp(-800), NegativeExp.of(800), 0);
        assertTrue(Double.isNaN(NegativeExp.of(Double.NaN)));
        assertEquals(Math.exp(0.5), NegativeExp.of(-0.5), 0);
    }
}
