package io.zero4j.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * One AdamW update of a float32 CPU parameter in a single pass over the memory of the parameter,
 * its gradient and its two moments, read and written in place through the engine's direct buffers.
 * Op by op, AdamW reads and writes each of those arrays several times and makes two full-size
 * temporaries (measured on 494M parameters: 1.74-1.85 s a step op by op, 0.74-0.80 s in one pass;
 * {@code docs/PERFORMANCE.md}). The arithmetic is {@link AdamW}'s, in float32, operation for operation:
 * <pre>
 *   v = v * beta2 + (g * g) * (1 - beta2);   m = m * beta1 + g * (1 - beta1)
 *   p = p * decay - (m / (sqrt(v) / sqrt(1 - beta2^t) + eps)) * (lr / (1 - beta1^t))
 * </pre>
 * (Java does not contract {@code a * b + c} into a fused multiply-add, so each step rounds as the
 * engine's separate ops do.) Chunks of the arrays are updated on the common fork-join pool, a
 * block at a time copied into scratch arrays, where the JIT vectorizes the loop (it does not over
 * buffers).
 */
final class FusedAdamW {
    private static final int CHUNK = 1 << 16;
    private static final long MAX_BUFFER_FLOATS = Integer.MAX_VALUE / Float.BYTES;
    /** Slots copied into scratch at a time: four blocks of floats stay in the core's cache. */
    private static final int BLOCK = 4096;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][BLOCK]);

    /** The step's scalars, each already rounded to float32 as the op-by-op path rounds them. */
    record Coefficients(float decay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float bias2Sqrt,
                        float eps, float stepSize) {
    }

    private FusedAdamW() {
    }

    /**
     * Whether the four arrays can be updated through direct buffers: float32 on the CPU, where the
     * engine hands out a view of a contiguous array's memory (parameters, their gradients and the
     * moments are made contiguous: the loader, the adapters and {@link AdamW#restore} create fresh
     * arrays), not a copy; and small enough for a Java buffer (2 GiB).
     */
    static boolean applies(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a == null || a.getDataType() != DataType.FLOAT32 || !Device.Type.CPU.equals(a.getDevice().getDeviceType())
                    || a.size() > MAX_BUFFER_FLOATS) { // a Java buffer holds at most 2^31 - 1 bytes
                return false;
            }
        }
        return true;
    }

    static void step(NDArray p, NDArray g, NDArray m, NDArray v, Coefficients c) {
        FloatBuffer pb = view(p);
        FloatBuffer gb = view(g);
        FloatBuffer mb = view(m);
        FloatBuffer vb = view(v);
        int n = pb.limit();
        if (n != p.size() || gb.limit() != n || mb.limit() != n || vb.limit() != n) {
            throw new IllegalStateException("a parameter, its gradient and its moments differ in size: " + n + ", "
                    + gb.limit() + ", " + mb.limit() + ", " + vb.limit());
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(k -> update(pb, gb, mb, vb, k * CHUNK, Math.min(n, (k + 1) * CHUNK), c));
    }

    /** Updates slots {@code [from, to)} a block at a time: bulk copies into scratch arrays, where the JIT vectorizes the arithmetic. */
    private static void update(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, int from, int to, Coefficients c) {
        float[][] scratch = SCRATCH.get();
        float[] ps = scratch[0];
        float[] gs = scratch[1];
        float[] ms = scratch[2];
        float[] vs = scratch[3];
        for (int start = from; start < to; start += BLOCK) {
            int n = Math.min(BLOCK, to - start);
            p.get(start, ps, 0, n);
            g.get(start, gs, 0, n);
            m.get(start, ms, 0, n);
            v.get(start, vs, 0, n);
            block(ps, gs, ms, vs, n, c);
            p.put(start, ps, 0, n);
            m.put(start, ms, 0, n);
            v.put(start, vs, 0, n);
        }
    }

    private static void block(float[] p, float[] g, float[] m, float[] v, int n, Coefficients c) {
        float beta1 = c.beta1();
        float oneMinusBeta1 = c.oneMinusBeta1();
        float beta2 = c.beta2();
        float oneMinusBeta2 = c.oneMinusBeta2();
        float bias2Sqrt = c.bias2Sqrt();
        float eps = c.eps();
        float stepSize = c.stepSize();
        float decay = c.decay();
        if (decay != 1f) {
            for (int i = 0; i < n; i++) {
                p[i] = p[i] * decay;
            }
        }
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            float vi = v[i] * beta2 + (gi * gi) * oneMinusBeta2;
            float mi = m[i] * beta1 + gi * oneMinusBeta1;
            float denominator = (float) Math.sqrt(vi) / bias2Sqrt + eps; // sqrt in double, rounded: float's correctly rounded sqrt
            p[i] = p[i] - (mi / denominator) * stepSize;
            m[i] = mi;
            v[i] = vi;
        }
    }

    private static FloatBuffer view(NDArray a) {
        return a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
