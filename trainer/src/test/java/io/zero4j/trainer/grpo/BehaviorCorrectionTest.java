package io.zero4j.trainer.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Devices;
import org.junit.jupiter.api.Test;

/** Importance weights between sampler and learner, against values worked by hand. */
class BehaviorCorrectionTest {
    // two rows of three tokens; the second row's last token is padding
    static final float[] OLD = {-1.0f, -2.0f, -0.5f, -0.2f, -3.0f, 0f};
    static final float[] BEHAVIOUR = {-1.5f, -1.0f, -0.5f, -1.4f, -3.0f, -9f};
    static final float[] MASK = {1, 1, 1, 1, 1, 0};

    private static float[] weights(BehaviorCorrection c, double[] stats) {
        try (NDManager m = NDManager.newBaseManager(Devices.host())) {
            Shape s = new Shape(2, 3);
            BehaviorCorrection.Weights w = c.weigh(m.create(OLD, s), m.create(BEHAVIOUR, s), m.create(MASK, s));
            stats[0] = w.tokens();
            stats[1] = w.klSum();
            stats[2] = w.weightMax();
            NDArray masked = w.weights().mul(m.create(MASK, s));
            return masked.toFloatArray();
        }
    }

    @Test
    void tokenWeightsAreTruncatedRatios() {
        double[] stats = new double[3];
        float[] w = weights(new BehaviorCorrection(BehaviorCorrection.Level.TOKEN, 2.0, 0, 0), stats);
        // d = old - behaviour = [0.5, -1, 0 | 1.2, 0]; exp(d) = [1.6487, 0.3679, 1 | 3.3201 -> capped 2, 1]
        assertArrayEquals(new float[] {(float) Math.exp(0.5), (float) Math.exp(-1), 1f, 2f, 1f, 0f}, w, 1e-5f);
        assertEquals(5, stats[0]);
        assertEquals(Math.exp(1.2), stats[2], 1e-5, "the max is taken before truncation");
        double k3 = 0;
        for (double d : new double[] {0.5, -1, 0, 1.2, 0}) {
            k3 += Math.exp(d) - 1 - d;
        }
        assertEquals(k3, stats[1], 1e-5, "k3 summed over the tokens that count");
    }

    @Test
    void sequenceWeightsAreOnePerRow() {
        float[] w = weights(new BehaviorCorrection(BehaviorCorrection.Level.SEQUENCE, 5.0, 0, 0), new double[3]);
        float row0 = (float) Math.exp(0.5 - 1 + 0);   // exp(-0.5)
        float row1 = (float) Math.min(Math.exp(1.2), 5.0);
        assertArrayEquals(new float[] {row0, row0, row0, row1, row1, 0f}, w, 1e-5f);
        float[] none = weights(BehaviorCorrection.OFF, new double[3]);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0}, none, 0f);
    }

    @Test
    void masksRowsWhoseGeometricMeanWeightLeavesTheBand() {
        BehaviorCorrection band = new BehaviorCorrection(BehaviorCorrection.Level.TOKEN, 2.0, 0.8, 1.25);
        assertTrue(band.keeps(new float[] {-1.0f, -2.0f}, new float[] {-1.1f, -1.95f}), "mean d = 0.025 -> 1.025");
        assertFalse(band.keeps(new float[] {-0.2f, -3.0f}, new float[] {-1.4f, -3.0f}), "mean d = 0.6 -> 1.82");
        assertFalse(band.keeps(new float[] {-2.0f}, new float[] {-1.0f}), "exp(-1) = 0.37 is below 0.8");
        assertTrue(BehaviorCorrection.OFF.keeps(new float[] {-9f}, new float[] {0f}), "no band, no masking");
    }

    @Test
    void weightsScaleThePolicyTermOnly() {
        GrpoSettings s = new GrpoSettings(0.2, 0.2, 0.0, GrpoSettings.LossType.DAPO, GrpoSettings.ScaleRewards.GROUP,
                GrpoSettings.ImportanceSamplingLevel.TOKEN, 3);
        try (NDManager m = NDManager.newBaseManager(Devices.host())) {
            Shape shape = new Shape(1, 3);
            NDArray logp = m.create(new float[] {-1, -2, -3}, shape);
            NDArray mask = m.create(new float[] {1, 1, 1}, shape);
            NDArray adv = m.create(new float[] {1f});
            GrpoLoss.Normalizers n = new GrpoLoss.Normalizers(1, 3);
            double plain = io.zero4j.model.Scalars.value(GrpoLoss.compute(logp, null, null, adv, mask, s, n).loss());
            double weighted = io.zero4j.model.Scalars.value(GrpoLoss.compute(logp, null, null, adv, mask,
                    m.create(new float[] {2, 0.5f, 0}, shape), s, n).loss());
            assertEquals(-1.0, plain, 1e-6, "ratio 1, A = 1: -mean(1)");
            assertEquals(-(2 + 0.5 + 0) / 3, weighted, 1e-6);
        }
    }
}
