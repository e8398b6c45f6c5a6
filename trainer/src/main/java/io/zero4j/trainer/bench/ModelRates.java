package io.zero4j.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.KvCache;
import io.zero4j.model.PaddedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The engine's rates (a float32 matmul, a read of 1 GiB) and a model's inference rates: one decode
 * step of B rows over a {@value #CONTEXT}-token cache, and a prefill of 8 x {@value #CONTEXT} tokens.
 * Medians in seconds; gradients off.
 */
final class ModelRates {
    static final int CONTEXT = 128;
    static final int PREFILL_ROWS = 8;
    /** {@code [512, 896] x [896, 4864]}: the 0.5B shape's MLP on a 512-token batch. */
    static final double MATMUL_FLOP = 2.0 * 512 * 896 * 4864;
    static final double READ_BYTES = 256.0 * 1024 * 1024 * 4;

    private ModelRates() {
    }

    /** Matmul GFLOP/s and read GB/s on the model's device. */
    static double[] engine(NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(512, 896));
            NDArray w = m.randomNormal(new Shape(896, 4864));
            NDArray big = m.randomUniform(0, 1, new Shape(256L * 1024 * 1024));
            double matmul = Timer.median(2, 7, () -> {
                try (NDArray y = a.matMul(w)) {
                    y.getFloat(0, 0);
                }
            });
            double read = Timer.median(2, 7, () -> {
                try (NDArray s = big.sum()) {
                    s.getFloat();
                }
            });
            return new double[] {MATMUL_FLOP / matmul / 1e9, READ_BYTES / read / 1e9};
        }
    }

    /** Seconds of one decode step of {@code batch} rows, each seeing {@value #CONTEXT} cached tokens. */
    static double decodeStep(CausalLM lm, int batch, int measured) {
        boolean grad = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try (NDManager m = lm.manager().newSubManager()) {
            long[] ids = randomIds(CONTEXT, lm.config().vocabSize(), 1);
            long[] pos = new long[CONTEXT];
            Arrays.setAll(pos, i -> i);
            KvCache cache;
            try (NDScope ignored = new NDScope(); KvCache prefill = KvCache.allocate(lm.config(), 1, CONTEXT, m, lm.dataType())) {
                lm.forward(m.create(ids, new Shape(1, CONTEXT)), null, m.create(pos, new Shape(1, CONTEXT)), prefill, 0);
                cache = prefill.fork(batch, CONTEXT, CONTEXT + 1, m);
            }
            long[] tokens = randomIds(batch, lm.config().vocabSize(), 2);
            long[] positions = new long[batch];
            Arrays.fill(positions, CONTEXT);
            long[] keyMask = new long[batch * (CONTEXT + 1)];
            Arrays.fill(keyMask, 1);
            try (cache) {
                return Timer.median(2, 2.0, measured, () -> {
                    try (NDScope ignored = new NDScope()) {
                        NDArray hidden = lm.forward(m.create(tokens, new Shape(batch, 1)),
                                m.create(keyMask, new Shape(batch, CONTEXT + 1)), m.create(positions, new Shape(batch, 1)),
                                cache, CONTEXT);                                                  // [B, 1, H]
                        lm.logits(CausalLM.lastPosition(hidden)).toByteBuffer(true).get(0);     // [B, V], read in place as the engine does
                    }
                });
            }
        } finally {
            Autograd.setEnabledOnThisThread(grad);
        }
    }

    /** Seconds of a forward pass over {@value #PREFILL_ROWS} x {@value #CONTEXT} tokens, with last-position logits. */
    static double prefill(CausalLM lm, int measured) {
        boolean grad = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        List<int[]> rows = new ArrayList<>();
        for (int r = 0; r < PREFILL_ROWS; r++) {
            rows.add(Arrays.stream(randomIds(CONTEXT, lm.config().vocabSize(), 10 + r)).mapToInt(x -> (int) x).toArray());
        }
        PaddedBatch batch = PaddedBatch.rightPadded(rows, 0);
        try (NDManager m = lm.manager().newSubManager()) {
            return Timer.median(1, measured, () -> {
                try (NDScope ignored = new NDScope()) {
                    NDArray hidden = lm.forward(batch.idsArray(m), batch.maskArray(m), batch.positionsArray(m), null, 0);
                    lm.logits(CausalLM.lastPosition(hidden)).toByteBuffer(true).get(0);     // [B, V], read in place
                }
            });
        } finally {
            Autograd.setEnabledOnThisThread(grad);
        }
    }

    static long[] randomIds(int n, int vocab, long seed) {
        Random r = new Random(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(vocab);
        }
        return out;
    }
}
