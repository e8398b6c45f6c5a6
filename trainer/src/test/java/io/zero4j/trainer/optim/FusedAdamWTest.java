package io.zero4j.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass AdamW against the op-by-op one, on float32 parameters with and without decay, over several steps. */
class FusedAdamWTest {
    private static final String[] NAMES = {"model.layers.0.mlp.up_proj.weight", "model.layers.0.self_attn.q_proj.bias"};
    private static final long[] SIZES = {3 * (1 << 16) + 123, 7}; // several chunks, and fewer than one
    /** Above the largest update of these steps (lr up to 4e-3 times |m / denominator| <= ~1). */
    private static final float UPDATE_SCALE = 1e-2f;

    @Test
    void onePassEqualsOpByOp() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> fused = parameters(m);
            Map<String, NDArray> plain = new LinkedHashMap<>();
            fused.forEach((name, p) -> {
                NDArray copy = p.duplicate();
                copy.setRequiresGradient(true);
                plain.put(name, copy);
            });
            AdamW a = new AdamW(fused, m, 0.9, 0.95, 1e-6, 0.1, true);
            AdamW b = new AdamW(plain, m, 0.9, 0.95, 1e-6, 0.1, false);
            Random r = new Random(3);
            for (int step = 1; step <= 4; step++) {
                Map<String, float[]> before = new LinkedHashMap<>();
                plain.forEach((name, p) -> before.put(name, p.toFloatArray()));
                for (int i = 0; i < NAMES.length; i++) {
                    float[] g = new float[(int) SIZES[i]];
                    for (int j = 0; j < g.length; j++) {
                        g[j] = (float) (r.nextGaussian() * (j % 97 == 0 ? 1e-6 : 1));
                    }
                    setGradient(fused.get(NAMES[i]), g);
                    setGradient(plain.get(NAMES[i]), g);
                }
                a.step(1e-3 * step);
                b.step(1e-3 * step);
                for (String name : NAMES) {
                    assertClose(plain.get(name).toFloatArray(), fused.get(name).toFloatArray(), before.get(name), UPDATE_SCALE,
                            name + " after step " + step);
                }
                for (Map.Entry<String, NDArray> e : b.state().entrySet()) {
                    float[] expected = e.getValue().toFloatArray();
                    assertClose(expected, a.state().get(e.getKey()).toFloatArray(), expected, 0, e.getKey() + " after step " + step);
                }
            }
            assertEquals(0.0, fused.get(NAMES[0]).getGradient().abs().sum().getFloat(), 0.0, "gradients zeroed after the step");
        }
    }

    private static Map<String, NDArray> parameters(NDManager m) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            NDArray p = m.randomNormal(0, 1, new Shape(SIZES[i]), ai.djl.ndarray.types.DataType.FLOAT32);
            p.setRequiresGradient(true);
            out.put(NAMES[i], p);
        }
        return out;
    }

    private static void setGradient(NDArray p, float[] g) {
        try (GradientCollector c = Engine.getInstance().newGradientCollector(); NDArray gradient = p.getManager().create(g)) {
            c.backward(p.mul(gradient).sum());
        }
    }

    /**
     * Equal to a few float32 roundings of the operands ({@code scale}: the value before the step, or
     * the value itself; {@code floor}: the size of an update, whose roundings the parameter carries
     * from step to step): the engine may order an op's arithmetic differently. The tiny gradients
     * (every 97th) make {@code eps} as large as {@code sqrt(v)}, so a misplaced {@code eps} or bias
     * correction changes those updates by a large factor and fails here.
     */
    private static void assertClose(float[] expected, float[] actual, float[] scale, float floor, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float tolerance = 4 * Math.ulp(Math.max(floor, Math.max(Math.abs(expected[i]), Math.abs(scale[i]))));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance,
                    what + "[" + i + "]: op by op " + expected[i] + ", one pass " + actual[i]);
        }
    }
}
