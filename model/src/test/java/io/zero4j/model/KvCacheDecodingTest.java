package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prefill prompts of different lengths once, fork each into G rows, decode different tokens in
 * every row, drop a row halfway: at every step the logits equal a full forward over the whole
 * sequence (fp32, relative 1e-5).
 */
class KvCacheDecodingTest {
    static List<ModelConfig> families() {
        return TinyModels.allFamilies();
    }

    @ParameterizedTest
    @MethodSource("families")
    void cachedDecodingMatchesFullForward(ModelConfig config) {
        int[][] prompts = {{5, 9, 13, 2, 40, 7, 7}, {11, 3}, {30, 31, 32, 33}};
        int copies = 2;
        int steps = 6;
        Random rng = new Random(3);
        try (CausalLM model = TinyModels.sharpModel(config, 11, DataType.FLOAT32);
             NDManager m = NDManager.newBaseManager();
             NDScope ignored = new NDScope()) {
            PaddedBatch prompt = PaddedBatch.leftPadded(List.of(prompts), 0);
            int width = prompt.width();
            KvCache prefillCache = KvCache.allocate(config, prompts.length, width, m, DataType.FLOAT32);
            model.forward(prompt.idsArray(m), prompt.maskArray(m), prompt.positionsArray(m), prefillCache, 0);
            KvCache cache = prefillCache.fork(copies, width, width + steps, m);
            prefillCache.close();

            // Per decode row: its full token sequence so far, its padding, its key mask over slots.
            List<List<Integer>> tokens = new ArrayList<>();
            List<Integer> pads = new ArrayList<>();
            for (int r = 0; r < prompts.length * copies; r++) {
                List<Integer> seq = new ArrayList<>();
                for (int id : prompts[r / copies]) {
                    seq.add(id);
                }
                tokens.add(seq);
                pads.add(prompt.pad()[r / copies]);
            }
            double worst = 0;
            for (int step = 0; step < steps; step++) {
                if (step == 3) { // a row finishes: compact the cache to the others
                    long[] keep = {0, 1, 2, 4, 5};
                    cache.keepRows(keep);
                    tokens.remove(3);
                    pads.remove(3);
                }
                int rows = tokens.size();
                int slot = width + step;
                long[] next = new long[rows];
                long[] pos = new long[rows];
                long[] mask = new long[rows * (slot + 1)];
                for (int r = 0; r < rows; r++) {
                    next[r] = rng.nextInt(config.vocabSize());
                    tokens.get(r).add((int) next[r]);
                    pos[r] = tokens.get(r).size() - 1;
                    for (int s = pads.get(r); s <= slot; s++) {
                        mask[r * (slot + 1) + s] = 1;
                    }
                }
                NDArray hidden = model.forward(m.create(next, new Shape(rows, 1)), m.create(mask, new Shape(rows, slot + 1)),
                        m.create(pos, new Shape(rows, 1)), cache, slot);
                NDArray cached = model.logits(CausalLM.lastPosition(hidden));            // [rows, V]
                List<int[]> full = new ArrayList<>();
                tokens.forEach(t -> full.add(t.stream().mapToInt(Integer::intValue).toArray()));
                PaddedBatch fb = PaddedBatch.rightPadded(full, 0);
                NDArray fullLogits = model.logits(model.forward(fb.idsArray(m), fb.maskArray(m),
                        fb.positionsArray(m), null, 0));                                   // [rows, T, V]
                for (int r = 0; r < rows; r++) {
                    float[] a = cached.get(r).toFloatArray();
                    float[] e = fullLogits.get(new NDIndex("{}, {}, :", r, full.get(r).length - 1)).toFloatArray();
                    double scale = 0;
                    double err = 0;
                    for (int v = 0; v < a.length; v++) {
                        scale = Math.max(scale, Math.abs(e[v]));
                        err = Math.max(err, Math.abs(a[v] - e[v]));
                    }
                    worst = Math.max(worst, err / scale); // max-norm relative error of the logit row
                }
            }
            cache.close();
            assertTrue(worst < 1e-5, config.architecture() + ": worst relative error " + worst);
        }
    }
}
