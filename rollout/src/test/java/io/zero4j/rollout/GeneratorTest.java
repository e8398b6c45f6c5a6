package io.zero4j.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private static CausalLM model;
    private static final List<int[]> PROMPTS = List.of(new int[] {5, 9, 13, 2, 40}, new int[] {11, 3}, new int[] {30, 31, 32});

    @BeforeAll
    static void load() {
        model = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void returnedLogProbsEqualAFullForwardOfTheSameTokens() {
        List<Completion> out = new Generator(model, Set.of()).generate(PROMPTS, 3, new SamplingParams(1.0, 12, 7));
        assertEquals(9, out.size());
        try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            List<int[]> full = new ArrayList<>();
            for (Completion c : out) {
                int[] p = PROMPTS.get(c.promptIndex());
                int[] seq = new int[p.length + c.tokenIds().length];
                System.arraycopy(p, 0, seq, 0, p.length);
                System.arraycopy(c.tokenIds(), 0, seq, p.length, c.tokenIds().length);
                full.add(seq);
            }
            PaddedBatch b = PaddedBatch.rightPadded(full, 0);
            NDArray ids = b.idsArray(m);
            NDArray hidden = model.forward(ids, b.maskArray(m), b.positionsArray(m), null, 0);
            float[] logp = TokenLogProbs.compute(hidden.get(new NDIndex(":, :-1, :")), model.lmHead(),
                    ids.get(new NDIndex(":, 1:")), 1.0, false, 1 << 16).logProbs().toFloatArray(); // [B, T-1]
            int width = b.width() - 1;
            for (int r = 0; r < out.size(); r++) {
                Completion c = out.get(r);
                int start = PROMPTS.get(c.promptIndex()).length - 1;
                for (int i = 0; i < c.tokenIds().length; i++) {
                    assertEquals(logp[r * width + start + i], c.logProbs()[i], 1e-4, "row " + r + " token " + i);
                }
            }
        }
    }

    @Test
    void sameSeedSameCompletionsAndMoreSamplesKeepTheFirst() {
        Generator g = new Generator(model, Set.of());
        List<Completion> a = g.generate(PROMPTS, 2, new SamplingParams(1.0, 10, 42));
        List<Completion> b = g.generate(PROMPTS, 2, new SamplingParams(1.0, 10, 42));
        List<Completion> wider = g.generate(PROMPTS, 4, new SamplingParams(1.0, 10, 42));
        List<int[]> morePrompts = new ArrayList<>(PROMPTS);
        morePrompts.add(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}); // longer: every other row gets more padding
        List<Completion> larger = g.generate(morePrompts, 2, new SamplingParams(1.0, 10, 42));
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).tokenIds(), b.get(i).tokenIds());
            Completion w = wider.get(a.get(i).promptIndex() * 4 + a.get(i).sampleIndex());
            assertArrayEquals(a.get(i).tokenIds(), w.tokenIds(), "a larger G leaves the first samples unchanged");
            assertArrayEquals(a.get(i).tokenIds(), larger.get(i).tokenIds(), "another prompt in the batch changes nothing");
        }
        assertTrue(differs(a.get(0).tokenIds(), a.get(1).tokenIds()), "two samples of one prompt differ");
    }

    @Test
    void stopsOnEosWithFinishReasonAndKeepsOtherRowsRunning() {
        List<Completion> greedy = new Generator(model, Set.of()).generate(PROMPTS, 1, SamplingParams.greedy(8));
        greedy.forEach(c -> assertEquals(FinishReason.LENGTH, c.finishReason()));
        int eos = greedy.get(0).tokenIds()[2];
        List<Completion> stopped = new Generator(model, Set.of(eos)).generate(PROMPTS, 1, SamplingParams.greedy(8));
        Completion first = stopped.get(0);
        assertEquals(FinishReason.STOP, first.finishReason());
        int firstEos = indexOf(greedy.get(0).tokenIds(), eos);
        assertEquals(firstEos + 1, first.tokenIds().length, "cut right after the EOS token");
        for (int r = 1; r < PROMPTS.size(); r++) {
            int[] g = greedy.get(r).tokenIds();
            int at = indexOf(g, eos);
            int[] expected = at < 0 ? g : java.util.Arrays.copyOf(g, at + 1);
            assertArrayEquals(expected, stopped.get(r).tokenIds(), "other rows continue unchanged after compaction");
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean differs(int[] a, int[] b) {
        return !java.util.Arrays.equals(a, b);
    }
}
