package io.zero4j.trainer.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.zero4j.trainer.grpo.GrpoSettings.ImportanceSamplingLevel;
import io.zero4j.trainer.grpo.GrpoSettings.LossType;
import io.zero4j.trainer.grpo.GrpoSettings.ScaleRewards;
import org.junit.jupiter.api.Test;

/**
 * Advantages and losses against values worked out by hand (Python, float64, the formulas of
 * {@link GrpoLoss}'s Javadoc, written out separately) and against a loop-by-loop reference for
 * every loss_type x scale_rewards x importance level x beta.
 */
class GrpoMathTest {
    // Two sequences of three tokens; the second's last token is padding. Ratios 1.5 (A > 0: clipped
    // high at 1 + 0.28) and 0.7 (A < 0: clipped low at 1 - 0.2) make the clip bind on both sides.
    static final double[][] LOGP = {{-1.0, -2.0, -0.5}, {-1.5, -0.7, -3.0}};
    static final double[][] RATIOS = {{1.5, 0.9, 1.1}, {0.7, 1.3, 1.0}};
    static final double[][] REF = {{-1.2, -1.8, -0.6}, {-1.4, -0.9, -2.0}};
    static final double[][] MASK = {{1, 1, 1}, {1, 1, 0}};
    static final double[] A = {1.5, -0.8};
    static final double[][] OLD = new double[2][3];

    static {
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 3; t++) {
                OLD[i][t] = LOGP[i][t] - Math.log(RATIOS[i][t]);
            }
        }
    }

    static GrpoSettings settings(LossType type, ImportanceSamplingLevel level, double beta) {
        return new GrpoSettings(0.2, 0.28, beta, type, ScaleRewards.GROUP, level, 4);
    }

    @Test
    void lossMatchesHandComputedValues() {
        Object[][] cases = {
            {LossType.GRPO, ImportanceSamplingLevel.TOKEN, 0.0, -0.3999999999999999},
            {LossType.GRPO, ImportanceSamplingLevel.TOKEN, 0.04, -0.3994611770933029},
            {LossType.GRPO, ImportanceSamplingLevel.SEQUENCE, 0.0, -0.4740886231045348},
            {LossType.GRPO, ImportanceSamplingLevel.SEQUENCE, 0.04, -0.47354980019783766},
            {LossType.DAPO, ImportanceSamplingLevel.TOKEN, 0.0, -0.6479999999999999},
            {LossType.DAPO, ImportanceSamplingLevel.TOKEN, 0.04, -0.6474490191965779},
            {LossType.DR_GRPO, ImportanceSamplingLevel.TOKEN, 0.0, -0.40499999999999997},
            {LossType.DR_GRPO, ImportanceSamplingLevel.TOKEN, 0.04, -0.4046556369978612},
        };
        for (Object[] c : cases) {
            GrpoSettings s = settings((LossType) c[0], (ImportanceSamplingLevel) c[1], (double) c[2]);
            GrpoLoss.Value v = GrpoLoss.evaluate(LOGP, OLD, (double) c[2] > 0 ? REF : null, A, MASK, s);
            assertEquals((double) c[3], v.loss(), 1e-12, c[0] + " " + c[1] + " beta " + c[2]);
        }
        GrpoLoss.Value token = GrpoLoss.evaluate(LOGP, OLD, null, A, MASK, settings(LossType.DAPO, ImportanceSamplingLevel.TOKEN, 0));
        assertEquals(0.2, token.clipLowFraction(), 1e-12, "seq 1 token 0: ratio 0.7 < 0.8 with A < 0");
        assertEquals(0.2, token.clipHighFraction(), 1e-12, "seq 0 token 0: ratio 1.5 > 1.28 with A > 0");
    }

    @Test
    void gspoWeighsEachSequenceOnceAndNothingElse() {
        // GSPO's objective: -1/G sum_i min(s_i A_i, clip(s_i) A_i), s_i = exp(mean_t log ratio): the
        // three-token and the two-token sequence count the same.
        GrpoSettings gspo = settings(LossType.GRPO, ImportanceSamplingLevel.SEQUENCE, 0);
        double paper = 0;
        for (int i = 0; i < 2; i++) {
            double logRatio = 0;
            double tokens = 0;
            for (int t = 0; t < 3; t++) {
                logRatio += MASK[i][t] * Math.log(RATIOS[i][t]);
                tokens += MASK[i][t];
            }
            double si = Math.exp(logRatio / tokens);
            paper += -Math.min(si * A[i], Math.min(Math.max(si, 0.8), 1.28) * A[i]) / 2;
        }
        assertEquals(paper, GrpoLoss.evaluate(LOGP, OLD, null, A, MASK, gspo).loss(), 1e-12);
        for (LossType lengthWeighted : new LossType[] {LossType.DAPO, LossType.DR_GRPO}) {
            assertThrows(IllegalArgumentException.class,
                    () -> settings(lengthWeighted, ImportanceSamplingLevel.SEQUENCE, 0), lengthWeighted + " with GSPO");
        }
    }

    @Test
    void anExtremeLogRatioIsClampedBeforeExp() {
        // One token whose log-ratio is 1000 (exp overflows to infinity even in float64) with A < 0:
        // unclamped, the loss is infinite; clamped at 20 it is e^20 * |A| over the one token.
        double[][] logp = {{-1.0}};
        double[][] old = {{-1001.0}};
        GrpoLoss.Value v = GrpoLoss.evaluate(logp, old, null, new double[] {-0.5}, new double[][] {{1}},
                settings(LossType.DAPO, ImportanceSamplingLevel.TOKEN, 0));
        assertTrue(Double.isFinite(v.loss()), "loss " + v.loss());
        assertEquals(Math.exp(GrpoLoss.MAX_LOG_RATIO) * 0.5, v.loss(), 1e-6);
        GrpoLoss.Value low = GrpoLoss.evaluate(new double[][] {{-1001.0}}, new double[][] {{-1.0}}, null, new double[] {0.5},
                new double[][] {{1}}, settings(LossType.DAPO, ImportanceSamplingLevel.TOKEN, 0));
        assertEquals(-Math.exp(-GrpoLoss.MAX_LOG_RATIO) * 0.5, low.loss(), 1e-12, "and at -20 below");
    }

    @Test
    void defaultsAreTrls() {
        GrpoSettings d = GrpoSettings.defaults(256);
        assertEquals(0.2, d.epsilon());
        assertEquals(0.2, d.epsilonHigh());
        assertEquals(0.0, d.beta());
        assertEquals(LossType.DAPO, d.lossType());
        assertEquals(ScaleRewards.GROUP, d.scaleRewards());
        assertEquals(ImportanceSamplingLevel.TOKEN, d.importanceSamplingLevel());
        assertEquals(256, d.maxCompletionLength());
    }

    @Test
    void advantagesMatchHandComputedValues() {
        double[] rewards = {1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5, 2, 0, 1, 0.25};
        assertArrayEquals(new double[] {0.8658754297607016, -0.8658754297607016, -0.8658754297607016, 0.8658754297607016,
            0, 0, 0, 0, 1.3215087725119432, -0.9041902127713295, 0.2086592798703068, -0.6259778396109205},
                Advantages.compute(rewards, 4, ScaleRewards.GROUP), 1e-12);
        assertArrayEquals(new double[] {0.864036718020934, -0.864036718020934, -0.864036718020934, 0.864036718020934,
            0, 0, 0, 0, 2.052087205299718, -1.4040596667840177, 0.32401376925785025, -0.9720413077735507},
                Advantages.compute(rewards, 4, ScaleRewards.BATCH), 1e-12);
        assertArrayEquals(new double[] {0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0, 1.1875, -0.8125, 0.1875, -0.5625},
                Advantages.compute(rewards, 4, ScaleRewards.NONE), 1e-12);
        int[] shuffledGroups = {2, 0, 1, 0, 2, 1};
        double[] a = Advantages.compute(new double[] {3, 1, 7, 0, 5, 7}, shuffledGroups, ScaleRewards.GROUP);
        assertEquals(0.0, a[2], 0.0, "an all-agreeing group: 0, not NaN");
        assertEquals(0.0, a[5], 0.0);
        assertEquals(-a[4], a[0], 1e-12);
    }

    @Test
    void everyCombinationMatchesALoopReference() {
        double[] rewards = {1, 0, 0.5, 0.5};
        for (ScaleRewards scale : ScaleRewards.values()) {
            double[] adv = Advantages.compute(rewards, 2, scale);
            double[] twoRows = {adv[0], adv[1]};
            for (LossType type : LossType.values()) {
                for (ImportanceSamplingLevel level : ImportanceSamplingLevel.values()) {
                    for (double beta : new double[] {0, 0.1}) {
                        if (level == ImportanceSamplingLevel.SEQUENCE && type != LossType.GRPO) {
                            continue; // refused: see gspoWeighsEachSequenceOnceAndNothingElse
                        }
                        GrpoSettings s = new GrpoSettings(0.2, 0.28, beta, type, scale, level, 4);
                        double expected = reference(LOGP, OLD, REF, twoRows, MASK, s);
                        assertEquals(expected, GrpoLoss.evaluate(LOGP, OLD, beta > 0 ? REF : null, twoRows, MASK, s).loss(),
                                1e-12, scale + " " + type + " " + level + " " + beta);
                    }
                }
            }
        }
    }

    @Test
    void withoutOldLogProbsTheRatioIsOneAndTheGradientIsMinusAdvantage() {
        GrpoSettings s = settings(LossType.DAPO, ImportanceSamplingLevel.TOKEN, 0);
        assertEquals(-(1.5 * 3 - 0.8 * 2) / 5, GrpoLoss.evaluate(LOGP, null, null, A, MASK, s).loss(), 1e-12);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logp = m.create(new double[] {-1, -2, -0.5, -1.5, -0.7, -3}, new Shape(2, 3));
            logp.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                GrpoLoss.Terms t = GrpoLoss.compute(logp, null, null, m.create(A), m.create(new double[] {1, 1, 1, 1, 1, 0},
                        new Shape(2, 3)), s, new GrpoLoss.Normalizers(2, 5));
                c.backward(t.loss());
            }
            assertArrayEquals(new double[] {-1.5 / 5, -1.5 / 5, -1.5 / 5, 0.8 / 5, 0.8 / 5, 0},
                    logp.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-12);
        }
    }

    /** The formulas, loop by loop. */
    static double reference(double[][] logp, double[][] old, double[][] ref, double[] a, double[][] mask, GrpoSettings s) {
        int b = logp.length;
        int t = logp[0].length;
        double total = 0;
        double tokens = 0;
        for (int i = 0; i < b; i++) {
            double n = 0;
            double meanLog = 0;
            for (int j = 0; j < t; j++) {
                n += mask[i][j];
                meanLog += mask[i][j] * (logp[i][j] - old[i][j]);
            }
            meanLog /= Math.max(1, n);
            double seqSum = 0;
            for (int j = 0; j < t; j++) {
                double r = Math.exp(s.importanceSamplingLevel() == ImportanceSamplingLevel.TOKEN ? logp[i][j] - old[i][j] : meanLog);
                double clipped = Math.min(Math.max(r, 1 - s.epsilon()), 1 + s.epsilonHigh());
                double l = -Math.min(r * a[i], clipped * a[i]);
                if (s.beta() > 0) {
                    double d = ref[i][j] - logp[i][j];
                    l += s.beta() * (Math.exp(d) - d - 1);
                }
                seqSum += mask[i][j] * l;
            }
            tokens += n;
            total += s.lossType() == LossType.GRPO ? seqSum / Math.max(1, n) : seqSum;
        }
        return switch (s.lossType()) {
            case GRPO -> total / b;
            case DAPO -> total / tokens;
            case DR_GRPO -> total / (b * (double) s.maxCompletionLength());
        };
    }
}
