package io.zero4j.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RolloutEngineTest {
    private static CausalLM model;
    private static final List<int[]> PROMPTS = List.of(new int[] {5, 9, 13, 2, 40}, new int[] {11, 3}, new int[] {30, 31, 32});
    /** Each token reads as two letters, so stop strings can end inside a token. */
    private static final Detokenizer TEXT = ids -> {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append((char) ('a' + id % 26)).append((char) ('A' + id / 26));
        }
        return sb.toString();
    };

    @BeforeAll
    static void load() {
        model = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static RolloutEngine engine(Set<Integer> eos) {
        return new RolloutEngine(model, TEXT, eos);
    }

    @Test
    void logProbsEqualAFullForwardAtTheSamplingTemperature() {
        for (double temperature : new double[] {1.0, 0.7}) {
            SamplingParams params = new SamplingParams(temperature, 12, 7).withTopK(20).withTopP(0.9);
            RolloutBatch batch = engine(Set.of()).generate(PROMPTS, 3, params);
            assertEquals(9, batch.size());
            try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
                List<int[]> full = new ArrayList<>();
                for (Completion c : batch.completions()) {
                    int[] p = PROMPTS.get(c.promptIndex());
                    int[] seq = Arrays.copyOf(p, p.length + c.length());
                    System.arraycopy(c.tokenIds(), 0, seq, p.length, c.length());
                    full.add(seq);
                }
                PaddedBatch b = PaddedBatch.rightPadded(full, 0);
                NDArray ids = b.idsArray(m);
                NDArray hidden = model.forward(ids, b.maskArray(m), b.positionsArray(m), null, 0);
                float[] logp = TokenLogProbs.compute(hidden.get(new NDIndex(":, :-1, :")), model.lmHead(),
                        ids.get(new NDIndex(":, 1:")), temperature, false, 1 << 16).logProbs().toFloatArray(); // [B, T-1]
                int width = b.width() - 1;
                for (int r = 0; r < batch.size(); r++) {
                    Completion c = batch.get(r);
                    int start = PROMPTS.get(c.promptIndex()).length - 1;
                    for (int i = 0; i < c.length(); i++) {
                        assertEquals(logp[r * width + start + i], c.logProbs()[i], 1e-4, "T " + temperature + " row " + r + " token " + i);
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameBatchAndLargerGroupsKeepTheFirstSamples() {
        SamplingParams params = new SamplingParams(1.0, 10, 42).withTopP(0.95);
        RolloutBatch a = engine(Set.of()).generate(PROMPTS, 2, params);
        RolloutBatch b = engine(Set.of()).generate(PROMPTS, 2, params);
        RolloutBatch wider = engine(Set.of()).generate(PROMPTS, 4, params);
        List<int[]> more = new ArrayList<>(PROMPTS);
        more.add(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}); // longer: the other rows get more padding
        RolloutBatch larger = engine(Set.of()).generate(more, 2, params);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).tokenIds(), b.get(i).tokenIds());
            assertArrayEquals(a.get(i).logProbs(), b.get(i).logProbs());
            Completion w = wider.get(a.get(i).promptIndex() * 4 + a.get(i).sampleIndex());
            assertArrayEquals(a.get(i).tokenIds(), w.tokenIds(), "a larger G leaves the first samples unchanged");
            assertArrayEquals(a.get(i).tokenIds(), larger.get(i).tokenIds(), "another prompt in the batch changes nothing");
        }
        assertTrue(!Arrays.equals(a.get(0).tokenIds(), a.get(1).tokenIds()), "two samples of one prompt differ");
    }

    @Test
    void eosEndsARowAndTheOthersRunOnUnchanged() {
        RolloutBatch greedy = engine(Set.of()).generate(PROMPTS, 1, SamplingParams.greedy(8));
        greedy.completions().forEach(c -> assertEquals(FinishReason.LENGTH, c.finishReason()));
        greedy.completions().forEach(c -> assertEquals(8, c.length()));
        int eos = greedy.get(0).tokenIds()[2];
        RolloutBatch stopped = engine(Set.of(eos)).generate(PROMPTS, 1, SamplingParams.greedy(8));
        for (int r = 0; r < PROMPTS.size(); r++) {
            int[] g = greedy.get(r).tokenIds();
            int at = indexOf(g, eos);
            int[] expected = at < 0 ? g : Arrays.copyOf(g, at + 1);
            assertArrayEquals(expected, stopped.get(r).tokenIds(), "row " + r + ": cut right after EOS, others unchanged");
            assertEquals(at < 0 ? FinishReason.LENGTH : FinishReason.STOP, stopped.get(r).finishReason());
            assertEquals(TEXT.decode(at < 0 ? g : Arrays.copyOf(g, at)), stopped.get(r).text(), "EOS is not in the text");
        }
    }

    @Test
    void aRowThatStopsImmediately() {
        RolloutBatch greedy = engine(Set.of()).generate(PROMPTS, 2, SamplingParams.greedy(5));
        int first = greedy.get(2).tokenIds()[0];
        RolloutBatch stopped = engine(Set.of(first)).generate(PROMPTS, 2, SamplingParams.greedy(5));
        Completion c = stopped.get(2);
        assertArrayEquals(new int[] {first}, c.tokenIds());
        assertEquals(FinishReason.STOP, c.finishReason());
        assertEquals("", c.text());
        assertEquals(1, stopped.completionMask()[2][0]);
        assertEquals(0, stopped.completionMask()[2][1]);
    }

    @Test
    void stopStringAcrossTwoTokensCutsTextRightAfterIt() {
        RolloutBatch greedy = engine(Set.of()).generate(PROMPTS, 1, SamplingParams.greedy(10));
        int[] g = greedy.get(1).tokenIds();
        String fullText = TEXT.decode(g);
        // The second letter of token 3 and the first of token 4: a stop string spanning two tokens
        // that ends in the middle of token 4.
        String stop = fullText.substring(7, 9);
        int firstEnd = fullText.indexOf(stop) + 2;
        int endToken = (firstEnd + 1) / 2; // tokens up to the one that completes it
        RolloutBatch stopped = engine(Set.of()).generate(PROMPTS, 1, SamplingParams.greedy(10).withStopStrings(List.of("zzZ", stop)));
        Completion c = stopped.get(1);
        assertEquals(FinishReason.STOP, c.finishReason());
        assertArrayEquals(Arrays.copyOf(g, endToken), c.tokenIds());
        assertEquals(fullText.substring(0, firstEnd), c.text(), "text cut right after the stop string");
        assertTrue(c.text().endsWith(stop));
    }

    @Test
    void lengthLimitAndPaddedViews() {
        RolloutBatch batch = engine(Set.of()).generate(PROMPTS, 2, new SamplingParams(1.0, 3, 1));
        assertEquals(6, batch.size());
        assertEquals(3, batch.maxLength());
        for (Completion c : batch.completions()) {
            assertEquals(3, c.length());
            assertEquals(FinishReason.LENGTH, c.finishReason());
        }
        assertEquals(18, batch.generatedTokens());
        assertEquals(batch.get(4).tokenIds()[2], batch.completionIds(0)[4][2]);
        assertEquals(batch.get(4).logProbs()[1], batch.logProbs()[4][1]);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void nonFiniteLogitsEndSamplingWithAnErrorInsteadOfAHangOrGarbage() {
        try (CausalLM broken = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32)) {
            broken.parameters().get("model.norm.weight").muli(Float.NaN); // every logit becomes NaN
            RolloutEngine engine = new RolloutEngine(broken, TEXT, Set.of());
            for (SamplingParams p : new SamplingParams[] {new SamplingParams(1.0, 8, 3), SamplingParams.greedy(8)}) {
                NonFiniteLogitsException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                        () -> assertThrows(NonFiniteLogitsException.class, () -> engine.generate(PROMPTS, 2, p)));
                assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains("token 1"), e.getMessage());
            }
        }
    }
}
