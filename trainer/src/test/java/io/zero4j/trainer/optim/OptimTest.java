package io.zero4j.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimTest {
    /** Sets d(loss)/dp = g by back-propagating sum(p * g). */
    private static void setGradient(NDArray p, double[] g) {
        try (GradientCollector c = Engine.getInstance().newGradientCollector();
             NDArray gradient = p.getManager().create(g).toType(p.getDataType(), false)) {
            c.backward(p.mul(gradient).sum());
        }
    }

    @Test
    void adamWMatchesTorchSemanticsByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new double[] {1.0, -2.0});
            p.setRequiresGradient(true);
            NDArray bias = m.create(new double[] {1.0});
            bias.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w.weight", p);
            params.put("w.bias", bias);
            AdamW adam = new AdamW(params, m, 0.9, 0.999, 1e-8, 0.01);
            setGradient(p, new double[] {0.5, -0.1});
            setGradient(bias, new double[] {0.0});
            adam.step(0.1);
            assertArrayEquals(new double[] {0.899000002, -1.898000009999999}, p.toDoubleArray(), 1e-9);
            setGradient(p, new double[] {0.2, 0.3});
            setGradient(bias, new double[] {0.0});
            adam.step(0.1);
            // hand computation (Python, float64) of torch.optim.AdamW's update, two steps
            assertArrayEquals(new double[] {0.8082434839009282, -1.9455209911100655}, p.toDoubleArray(), 1e-9);
            assertEquals(1.0, bias.getDouble(0), 1e-12, "no weight decay on biases, zero gradient: unchanged");
            assertEquals(2, adam.stepCount());
            assertEquals(0.0, p.getGradient().abs().sum().getDouble(), 0.0, "gradients zeroed after the step");
        }
        assertTrue(AdamW.decays("model.layers.0.mlp.up_proj.weight"));
        assertFalse(AdamW.decays("model.layers.0.input_layernorm.weight"));
        assertFalse(AdamW.decays("model.layers.0.self_attn.q_proj.bias"));
    }

    @Test
    void clippingByGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new double[] {3, 0});
            NDArray b = m.create(new double[] {0, 4});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            setGradient(a, new double[] {3, 0});
            setGradient(b, new double[] {0, 4});
            assertEquals(5.0, GradientClipping.clip(java.util.List.of(a, b), 1.0), 1e-12);
            assertArrayEquals(new double[] {0.6, 0}, a.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-6);
            assertArrayEquals(new double[] {0, 0.8}, b.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-6);
            assertEquals(1.0, GradientClipping.clip(java.util.List.of(a, b), 10.0), 1e-5, "under the limit: unchanged");
        }
    }

    @Test
    void scheduleWarmsUpThenDecays() {
        LearningRateSchedule cosine = new LearningRateSchedule(1e-3, 10, 110, LearningRateSchedule.Shape.COSINE);
        assertEquals(0.0, cosine.at(0), 0.0);
        assertEquals(5e-4, cosine.at(5), 1e-15);
        assertEquals(1e-3, cosine.at(10), 1e-15);
        assertEquals(5e-4, cosine.at(60), 1e-12);
        assertEquals(0.0, cosine.at(110), 1e-15);
        LearningRateSchedule constant = new LearningRateSchedule(1e-3, 0, 100, LearningRateSchedule.Shape.CONSTANT);
        assertEquals(1e-3, constant.at(0), 0.0);
        assertEquals(1e-3, constant.at(99), 0.0);
    }
}
