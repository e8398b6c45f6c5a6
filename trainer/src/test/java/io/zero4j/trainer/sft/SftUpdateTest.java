package io.zero4j.trainer.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.PaddedBatch;
import io.zero4j.model.TokenLogProbs;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.trainer.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SFT loss is the completion tokens' mean negative log-likelihood, whatever the micro-batching, and it learns. */
class SftUpdateTest {
    private static final List<SftExample> PAIRS = List.of(
            new SftExample(new int[] {5, 9, 13}, new int[] {20, 21, 22, 60}),
            new SftExample(new int[] {11}, new int[] {30, 60}),
            new SftExample(new int[] {7, 8, 9, 10, 11}, new int[] {40, 41, 42, 43, 44, 60}));

    /** The mean over completion tokens of -log p, from one plain forward pass over each whole sequence. */
    private static double referenceNll(CausalLM model) {
        try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            double sum = 0;
            long tokens = 0;
            for (SftExample e : PAIRS) {
                int[] seq = new int[e.length()];
                System.arraycopy(e.prompt(), 0, seq, 0, e.prompt().length);
                System.arraycopy(e.completion(), 0, seq, e.prompt().length, e.completion().length);
                PaddedBatch b = PaddedBatch.rightPadded(List.of(seq), 0);
                NDArray ids = b.idsArray(m);
                NDArray hidden = model.forward(ids, b.maskArray(m), b.positionsArray(m), null, 0);
                float[] lp = TokenLogProbs.compute(hidden.get(new NDIndex(":, :-1, :")), model.lmHead(),
                        ids.get(new NDIndex(":, 1:")), 1.0, false, 1 << 16).logProbs().toFloatArray();   // [1, T-1]
                for (int i = e.prompt().length - 1; i < lp.length; i++) { // the completion's tokens only
                    sum -= lp[i];
                    tokens++;
                }
            }
            return sum / tokens;
        }
    }

    @Test
    void theLossIsTheCompletionTokensMeanNllForAnyMicroBatching() {
        for (int micro : new int[] {1, 2, 3}) {
            try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 4, DataType.FLOAT32)) {
                double expected = referenceNll(model);
                AdamW adam = new AdamW(model.trainableParameters(), model.manager(), 0.9, 0.999, 1e-8, 0.0);
                SftUpdate.Stats s = new SftUpdate(model, adam, micro, 0).step(PAIRS, 0.0);
                assertEquals(expected, s.loss(), 1e-4, "micro-batch " + micro);
                assertEquals(4 + 2 + 6, s.tokens());
                assertTrue(s.gradNorm() > 0 && !s.skipped());
            }
        }
    }

    @Test
    void stepsLowerTheLoss() {
        try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 4, DataType.FLOAT32)) {
            AdamW adam = new AdamW(model.trainableParameters(), model.manager(), 0.9, 0.999, 1e-8, 0.0);
            SftUpdate update = new SftUpdate(model, adam, 2, 1.0);
            List<Double> losses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                losses.add(update.step(PAIRS, 3e-3).loss());
            }
            assertTrue(losses.get(29) < 0.3 * losses.get(0), "loss " + losses.get(0) + " -> " + losses.get(29));
            assertEquals(referenceNll(model), update.step(PAIRS, 0.0).loss(), 1e-4, "the logged loss is the model's NLL");
        }
    }

    @Test
    void theOrderIsAFunctionOfThePositionAndBucketsByLength() {
        List<SftExample> data = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            data.add(new SftExample(new int[1 + i % 7], new int[1 + (i * 3) % 11]));
        }
        SftOrder a = new SftOrder(data, 3, 10);
        SftOrder b = new SftOrder(data, 3, 10);
        List<SftExample> whole = a.take(0, 130);
        List<SftExample> pieces = new ArrayList<>(b.take(0, 64));
        pieces.addAll(new SftOrder(data, 3, 10).take(64, 66)); // a resumed run's order
        assertEquals(whole, pieces);
        for (int w = 0; w < 5; w++) {
            List<SftExample> window = whole.subList(w * 10, w * 10 + 10);
            for (int i = 1; i < window.size(); i++) {
                assertTrue(window.get(i - 1).length() <= window.get(i).length(), "sorted within a window");
            }
        }
        assertEquals(50, new java.util.HashSet<>(whole.subList(0, 50)).size(), "an epoch holds every example once");
    }
}
