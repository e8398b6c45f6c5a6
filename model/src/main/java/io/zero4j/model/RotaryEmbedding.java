package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * Rotary position embedding in Hugging Face's rotate-half convention: the head dimension is split
 * in two halves {@code (x1, x2)}, and {@code x * cos + (-x2, x1) * sin} with angles
 * {@code position * invFreq[i]}, the frequency list repeated once for each half.
 */
final class RotaryEmbedding {
    private RotaryEmbedding() {
    }

    /** {@code 1 / theta^(2i/d)} for i in [0, d/2), then Llama 3 scaling when configured. */
    static float[] inverseFrequencies(ModelConfig c) {
        int half = c.headDim() / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim());
        }
        if (c.ropeScaling() != null) {
            inv = c.ropeScaling().apply(inv);
        }
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            out[i] = (float) inv[i];
        }
        return out;
    }

    /** {@code positions [B, T]} to {@code {cos, sin}}, each {@code [B, 1, T, D]}. */
    static NDArray[] cosSin(NDArray positions, NDArray invFreq) {
        long b = positions.getShape().get(0);
        long t = positions.getShape().get(1);
        NDArray angles = positions.toType(invFreq.getDataType(), false).reshape(b, t, 1).mul(invFreq); // [B, T, D/2]
        NDArray full = NDArrays.concat(new NDList(angles, angles), -1).expandDims(1);                   // [B, 1, T, D]
        return new NDArray[] {full.cos(), full.sin()};
    }

    /** {@code x [B, heads, T, D]} rotated. */
    static NDArray apply(NDArray x, NDArray[] cosSin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));                     // [B, h, T, D/2]
        NDArray x2 = x.get(new NDIndex("..., {}:", half));                     // [B, h, T, D/2]
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);       // [B, h, T, D]
        return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
    }
}
