package io.zero4j.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sampled token frequencies against the filtered, temperature-scaled probabilities computed here
 * the plain way (full sort, Hugging Face's order: temperature, top-k, top-p, min-p).
 */
class SamplerTest {
    private static final float[] LOGITS = {2.0f, 1.5f, 1.5f, 0.7f, 0.1f, -0.4f, -1.0f, -2.5f, 3.1f, 0.0f};
    private static final int DRAWS = 40_000;

    static List<SamplingParams> settings() {
        SamplingParams base = new SamplingParams(1.0, 16, 0);
        return List.of(base,
                new SamplingParams(0.6, 16, 0),
                new SamplingParams(1.7, 16, 0),
                base.withTopK(3),                              // the tie at ranks 3-4 keeps both
                base.withTopK(2),
                base.withTopP(0.8),
                new SamplingParams(0.8, 16, 0).withTopP(0.5),
                base.withMinP(0.2),
                base.withTopK(6).withTopP(0.9).withMinP(0.05),
                new SamplingParams(2.5, 16, 0).withTopP(0.95).withMinP(0.1));
    }

    /** Hugging Face's filtered distribution, by full sort. */
    static double[] reference(float[] logits, SamplingParams p) {
        int n = logits.length;
        double[] prob = softmax(logits, p.temperature(), new boolean[n]);
        boolean[] removed = new boolean[n];
        if (p.topK() > 0 && p.topK() < n) {
            double kth = IntStream.range(0, n).mapToDouble(i -> logits[i]).sorted().toArray()[n - p.topK()];
            for (int i = 0; i < n; i++) {
                removed[i] = logits[i] < kth;
            }
            prob = softmax(logits, p.temperature(), removed);
        }
        if (p.topP() < 1) {
            List<Integer> byProb = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byProb.add(i);
            }
            double[] fixed = prob;
            byProb.sort(Comparator.comparingDouble(i -> -fixed[i]));
            double before = 0;
            for (int i : byProb) {
                if (before >= p.topP()) {
                    removed[i] = true;
                }
                before += fixed[i];
            }
            prob = softmax(logits, p.temperature(), removed);
        }
        if (p.minP() > 0) {
            double best = 0;
            for (double x : prob) {
                best = Math.max(best, x);
            }
            for (int i = 0; i < n; i++) {
                removed[i] |= prob[i] < p.minP() * best;
            }
            prob = softmax(logits, p.temperature(), removed);
        }
        return prob;
    }

    private static double[] softmax(float[] logits, double t, boolean[] removed) {
        double[] out = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = removed[i] ? 0 : Math.exp(logits[i] / t);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("settings")
    void frequenciesMatchTheFilteredDistribution(SamplingParams p) {
        double[] expected = reference(LOGITS, p);
        Sampler sampler = new Sampler(LOGITS.length);
        SplittableRandom rng = new SplittableRandom(1234);
        long[] counts = new long[LOGITS.length];
        FloatBuffer row = FloatBuffer.wrap(LOGITS);
        for (int d = 0; d < DRAWS; d++) {
            counts[sampler.sample(row, 0, LOGITS.length, p, rng)]++;
        }
        double chi2 = 0;
        int categories = 0;
        for (int i = 0; i < LOGITS.length; i++) {
            if (expected[i] == 0) {
                assertEquals(0, counts[i], "token " + i + " is filtered out but was drawn");
                continue;
            }
            double e = expected[i] * DRAWS;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
            categories++;
        }
        if (categories == 1) {
            return; // one admissible token: every draw was it (the zero counts above prove it)
        }
        // 99.9th percentile of chi-square with up to 9 degrees of freedom is 27.9
        double critical = new double[] {0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88}[categories - 1];
        assertTrue(chi2 < critical, p + ": chi-square " + chi2 + " over " + (categories - 1) + " dof, critical " + critical);
    }

    @Test
    void referenceFiltersAsDocumented() {
        SamplingParams base = new SamplingParams(1.0, 16, 0);
        assertEquals(4, nonZero(reference(LOGITS, base.withTopK(3))), "the tie at the 3rd value keeps both");
        assertEquals(2, nonZero(reference(LOGITS, base.withTopK(2))));
        assertEquals(1, nonZero(reference(LOGITS, base.withTopP(0.01))), "top-p keeps at least the best");
        assertEquals(10, nonZero(reference(LOGITS, base)));
    }

    private static long nonZero(double[] p) {
        return java.util.Arrays.stream(p).filter(x -> x > 0).count();
    }

    @Test
    void greedyIsTheFirstArgMax() {
        float[] logits = {1f, 5f, 2f, 5f};
        assertEquals(1, new Sampler(4).sample(FloatBuffer.wrap(logits), 0, 4, SamplingParams.greedy(4), new SplittableRandom(1)));
    }

    @Test
    void largeVocabularyWithATailStaysExact() {
        // 50,000 tokens: five near the top, the rest 30 nats down (the tail); filters that reach into
        // the tail must weigh it, and draws never leave the admissible set.
        int vocab = 50_000;
        float[] logits = new float[vocab];
        java.util.Arrays.fill(logits, -30f);
        float[] top = {0f, -0.5f, -1f, -1.5f, -3f};
        System.arraycopy(top, 0, logits, 1000, top.length);
        logits[7] = -28f;
        Sampler sampler = new Sampler(vocab);
        SplittableRandom rng = new SplittableRandom(5);
        FloatBuffer row = FloatBuffer.wrap(logits);
        SamplingParams base = new SamplingParams(1.0, 16, 0);
        for (int d = 0; d < 2000; d++) {
            int t = sampler.sample(row, 0, vocab, base.withTopK(6), rng);
            assertTrue(t >= 1000 && t < 1005 || t == 7, "top-6 holds the five and token 7, got " + t);
            int u = sampler.sample(row, 0, vocab, base.withTopP(0.5), rng);
            assertTrue(u == 1000 || u == 1001, "nucleus of 0.5 is the two best, got " + u);
            int w = sampler.sample(row, 0, vocab, base.withTopP(1 - 1e-15), rng);
            assertTrue(w >= 0 && w < vocab);
        }
        long[] counts = new long[5];
        int draws = 10_000;
        for (int d = 0; d < draws; d++) {
            int t = sampler.sample(row, 0, vocab, base, rng);
            if (t >= 1000 && t < 1005) {
                counts[t - 1000]++;
            }
        }
        double z = 0;
        for (float x : top) {
            z += Math.exp(x);
        }
        double chi2 = 0;
        for (int i = 0; i < 5; i++) {
            double e = Math.exp(top[i]) / z * draws;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        assertTrue(chi2 < 18.47, "head frequencies, chi-square " + chi2);
    }

    @Test
    void aRowWithoutAFiniteMaximumIsRefusedNotDrawnForever() {
        Sampler sampler = new Sampler(4);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] row = {bad, bad, bad, bad};
            if (bad == Float.POSITIVE_INFINITY) {
                row = new float[] {0f, bad, 1f, 2f};
            }
            FloatBuffer logits = FloatBuffer.wrap(row);
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> sampler.sample(logits, 0, 4, new SamplingParams(1.0, 4, 1),
                            new SplittableRandom(1))), "logits " + bad);
        }
    }
}
