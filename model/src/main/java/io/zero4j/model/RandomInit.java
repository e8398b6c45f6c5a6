package io.zero4j.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random weights for any config, as transformers initialises a fresh model: matrices
 * normal(0, 0.02), biases 0, norm weights 1. Each tensor's random stream derives from the seed and
 * the tensor's name, so the result does not depend on creation order or thread count.
 */
public final class RandomInit {
    public static final double INITIALIZER_RANGE = 0.02;

    private RandomInit() {
    }

    public static CausalLM create(ModelConfig config, long seed, Device device, DataType dtype) {
        NDManager manager = NDManager.newBaseManager(device);
        Map<String, NDArray> params = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, long[]> e : ParameterLayout.shapes(config).entrySet()) {
                float[] values = values(e.getKey(), e.getValue(), seed);
                NDArray a = manager.create(values, new Shape(e.getValue()));
                params.put(e.getKey(), dtype == DataType.FLOAT32 ? a : a.toType(dtype, false));
            }
            return new CausalLM(config, params, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    static float[] values(String name, long[] shape, long seed) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        if (ParameterLayout.isNormWeight(name)) {
            java.util.Arrays.fill(v, 1f);
        } else if (!name.endsWith(".bias")) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rng.nextGaussian() * INITIALIZER_RANGE);
            }
        }
        return v;
    }
}
