package io.zero4j.rollout.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.CausalLM;
import io.zero4j.model.TokenLogProbs;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching against the fixed-batch engine: every request, however it was batched with
 * others (joining mid-way, forcing the cache to shift and grow in a 128-token context), gets the
 * tokens it gets alone.
 */
class ContinuousBatcherTest {
    private static final Set<Integer> EOS = Set.of(60);
    private static final Detokenizer TEXT = ids -> {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append((char) ('a' + id % 26)).append((char) ('A' + id / 26));
        }
        return sb.toString();
    };
    private static CausalLM model;

    @BeforeAll
    static void load() {
        model = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Collects one request's events. */
    static final class Collected implements GenerationListener {
        final Completion[] completions;
        final List<List<ScoredToken>> streamed = new ArrayList<>();
        final CompletableFuture<List<Completion>> done = new CompletableFuture<>();
        volatile List<ScoredToken> prompt;
        int finished;

        Collected(int choices) {
            completions = new Completion[choices];
            for (int i = 0; i < choices; i++) {
                streamed.add(new CopyOnWriteArrayList<>());
            }
        }

        @Override
        public void promptScored(List<ScoredToken> promptTokens) {
            prompt = promptTokens;
        }

        @Override
        public void sampled(int choice, ScoredToken token) {
            streamed.get(choice).add(token);
        }

        @Override
        public void finished(int choice, Completion completion) {
            completions[choice] = completion;
            if (++finished == completions.length) {
                done.complete(Arrays.asList(completions));
            }
        }

        @Override
        public void failed(RuntimeException cause) {
            done.completeExceptionally(cause);
        }

        List<Completion> await() throws Exception {
            return done.get(60, TimeUnit.SECONDS);
        }
    }

    private static int[] prompt(SplittableRandom rng, int length) {
        int[] p = new int[length];
        for (int i = 0; i < length; i++) {
            p[i] = 1 + rng.nextInt(59);
        }
        return p;
    }

    private static SamplingParams params(int i) {
        SamplingParams p = i % 3 == 0 ? SamplingParams.greedy(8 + 5 * i % 40)
                : new SamplingParams(0.7 + 0.1 * (i % 4), 8 + 7 * i % 45, 100 + i).withTopK(i % 2 == 0 ? 0 : 12);
        return (i % 4 == 1 ? p.withStopStrings(List.of("bA")) : p).withLogProbTemperature(1.0);
    }

    private static void assertSameCompletions(List<Completion> expected, List<Completion> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int c = 0; c < expected.size(); c++) {
            assertArrayEquals(expected.get(c).tokenIds(), actual.get(c).tokenIds(), what + " choice " + c);
            assertEquals(expected.get(c).text(), actual.get(c).text(), what + " choice " + c);
            assertEquals(expected.get(c).finishReason(), actual.get(c).finishReason(), what + " choice " + c);
            for (int i = 0; i < expected.get(c).length(); i++) {
                assertEquals(expected.get(c).logProbs()[i], actual.get(c).logProbs()[i], 1e-4, what + " token " + i);
            }
        }
    }

    @Test
    void requestsJoiningAtAnyStepGetWhatTheyGetAlone() throws Exception {
        RolloutEngine alone = new RolloutEngine(model, TEXT, EOS);
        SplittableRandom rng = new SplittableRandom(3);
        int requests = 14;
        List<GenerationRequest> sent = new ArrayList<>();
        List<Collected> results = new ArrayList<>();
        try (ContinuousBatcher batcher = new ContinuousBatcher(model, TEXT, EOS, 12, 32)) {
            for (int i = 0; i < requests; i++) {
                Collected collected = new Collected(1 + i % 3);
                SamplingParams p = params(i);
                int[] prompt = prompt(rng, 1 + rng.nextInt(128 - p.maxNewTokens()));
                GenerationRequest r = new GenerationRequest(prompt, collected.completions.length, p, 0, false, collected);
                sent.add(r);
                results.add(collected);
                batcher.submit(r);
                Thread.sleep(rng.nextInt(30)); // some join a running batch, some arrive together
            }
            for (int i = 0; i < requests; i++) {
                GenerationRequest r = sent.get(i);
                List<Completion> expected = alone.generate(List.of(r.promptIds()), r.choices(), r.params()).completions();
                assertSameCompletions(expected, results.get(i).await(), "request " + i);
                for (int c = 0; c < r.choices(); c++) {
                    assertEquals(expected.get(c).length(), results.get(i).streamed.get(c).size(), "streamed tokens " + i);
                }
            }
            ContinuousBatcher.Stats stats = batcher.stats();
            assertTrue(stats.widestStep() > 3, "requests shared steps: " + stats);
            assertTrue(stats.rowSteps() > stats.decodeSteps() * 2, "rows per step above 2: " + stats);
        }
    }

    @Test
    void promptScoresAndTopTokensEqualAFullForward() throws Exception {
        int[] prompt = prompt(new SplittableRandom(9), 20);
        Collected collected = new Collected(1);
        try (ContinuousBatcher batcher = new ContinuousBatcher(model, TEXT, Set.of(), 4, 4)) {
            batcher.submit(new GenerationRequest(prompt, 1, SamplingParams.greedy(1).withLogProbTemperature(1.0), 3, true,
                    collected));
            collected.await();
        }
        try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            NDArray ids = m.create(Arrays.stream(prompt).asLongStream().toArray(), new Shape(1, prompt.length));
            long[] positions = new long[prompt.length];
            Arrays.setAll(positions, i -> i);
            NDArray hidden = model.forward(ids, null, m.create(positions, new Shape(1, prompt.length)), null, 0);
            float[] expected = TokenLogProbs.compute(hidden.get(new NDIndex(":, :-1, :")), model.lmHead(),
                    ids.get(new NDIndex(":, 1:")), 1.0, false, 1 << 16).logProbs().toFloatArray();   // [1, L-1]
            float[] logits = model.logits(hidden).toType(DataType.FLOAT32, false).toFloatArray();   // [1, L, V]
            assertEquals(prompt.length - 1, collected.prompt.size());
            for (int i = 0; i < expected.length; i++) {
                ScoredToken t = collected.prompt.get(i);
                assertEquals(prompt[i + 1], t.id());
                assertEquals(expected[i], t.logProb(), 1e-4, "prompt token " + (i + 1));
                assertEquals(3, t.topIds().length);
                int row = 61 * i;
                int[] best = java.util.stream.IntStream.range(0, 61).boxed()
                        .sorted((x, y) -> Float.compare(logits[row + y], logits[row + x]))
                        .mapToInt(Integer::intValue).limit(3).toArray();
                assertArrayEquals(best, t.topIds(), "position " + i);
                for (int k = 0; k < 3; k++) {
                    double shift = t.logProb() - logits[61 * i + prompt[i + 1]];
                    assertEquals(logits[61 * i + best[k]] + shift, t.topLogProbs()[k], 1e-4, "the same normaliser");
                }
            }
        }
    }

    @Test
    void aCancelledRequestLeavesAndOthersStillRun() throws Exception {
        Collected cancelled = new Collected(2);
        Collected after = new Collected(1);
        SamplingParams long100 = new SamplingParams(1.0, 100, 5).withLogProbTemperature(1.0);
        try (ContinuousBatcher batcher = new ContinuousBatcher(model, TEXT, Set.of(), 4, 4)) {
            ContinuousBatcher.Ticket t = batcher.submit(new GenerationRequest(new int[] {4, 5}, 2, long100, 0, false, cancelled));
            while (cancelled.streamed.get(0).size() < 3) {
                Thread.sleep(1);
            }
            t.cancel();
            // the 4 rows could not hold a 3-choice request beside the cancelled one's 2 unless it left
            batcher.submit(new GenerationRequest(new int[] {7}, 3, SamplingParams.greedy(5), 0, false, new Collected(3)));
            batcher.submit(new GenerationRequest(new int[] {8}, 1, SamplingParams.greedy(5), 0, false, after));
            assertEquals(1, after.await().size());
            assertTrue(cancelled.streamed.get(0).size() < 100, "stopped early");
            assertTrue(!cancelled.done.isDone(), "nothing more reported after cancel");
        }
    }

    @Test
    void aFullQueueAndImpossibleRequestsAreRefusedAtOnce() {
        try (ContinuousBatcher batcher = new ContinuousBatcher(model, TEXT, Set.of(), 2, 1)) {
            assertThrows(IllegalArgumentException.class, () -> batcher.submit(
                    new GenerationRequest(new int[] {1}, 3, SamplingParams.greedy(4), 0, false, new Collected(3))));
            assertThrows(IllegalArgumentException.class, () -> batcher.submit(
                    new GenerationRequest(new int[120], 1, SamplingParams.greedy(9), 0, false, new Collected(1))));
            SamplingParams slow = SamplingParams.greedy(120);
            assertThrows(ContinuousBatcher.QueueFullException.class, () -> {
                for (int i = 0; i < 10; i++) {
                    batcher.submit(new GenerationRequest(new int[] {1, 2}, 2, slow, 0, false, new Collected(2)));
                }
            });
        }
    }
}
