package io.zero4j.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.KvCache;
import io.zero4j.model.PaddedBatch;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Batched sampling with a KV cache. The P prompts are left-padded and prefilled once; each is
 * forked into G rows that then decode one token per step. A row ends on an EOS id, a stop string
 * (matched on decoded text) or the length limit. Finished rows leave the batch: once they are a
 * quarter of it, the KV cache is compacted to the running rows, so one long completion does not
 * make the short ones pay for it.
 *
 * <p>Everything lives on the model's device. Per decoded token the host sends only the sampled ids
 * {@code [n, 1]} and reads only the logits rows it samples from ({@code [n, V]}, with their
 * log-normalisers); the key mask and the positions stay on the device and are sliced or offset there.
 */
public final class RolloutEngine {
    private final CausalLM model;
    private final Detokenizer detokenizer;
    private final Set<Integer> eosIds;
    private final Sampler sampler;

    public RolloutEngine(CausalLM model, Detokenizer detokenizer, Set<Integer> eosIds) {
        this.model = model;
        this.detokenizer = detokenizer;
        this.eosIds = Set.copyOf(eosIds);
        this.sampler = new Sampler(model.config().vocabSize());
    }

    /** One row's completion in progress. */
    private static final class Row {
        final int prompt;
        final int sample;
        final int[] tokens;
        final float[] logProbs;
        final SplittableRandom rng;
        int length;
        FinishReason finish;

        Row(int prompt, int sample, int maxNew, long seed, int firstPromptIndex) {
            this.prompt = prompt;
            this.sample = sample;
            this.tokens = new int[maxNew];
            this.logProbs = new float[maxNew];
            this.rng = new SplittableRandom(mix(seed, firstPromptIndex + prompt, sample));
        }
    }

    /**
     * Decoding state of the rows still in the batch; slot i of the KV cache holds {@code slots[i]}.
     * On the device: {@code keyMask [n, width + maxNew]} (0 over a row's left padding, 1 after) and
     * {@code firstPosition [n, 1]}, the position of a row's first completion token.
     */
    private static final class Batch {
        Row[] slots;
        int finishedSlots;
        NDArray keyMask;
        NDArray firstPosition;
    }

    /** {@code samplesPerPrompt} completions of every prompt, prompt-major (row {@code r} continues prompt {@code r / G}). */
    public RolloutBatch generate(List<int[]> prompts, int samplesPerPrompt, SamplingParams params) {
        return generate(prompts, samplesPerPrompt, params, 0);
    }

    /**
     * As {@link #generate(List, int, SamplingParams)} for a slice of a larger batch that starts at
     * prompt {@code firstPromptIndex}: rows draw from the random streams of their prompts' places in
     * the whole batch, so slices sampled apart (on other machines, say) draw what the whole batch
     * would. The returned completions number their prompts from 0 within the slice.
     */
    public RolloutBatch generate(List<int[]> prompts, int samplesPerPrompt, SamplingParams params, int firstPromptIndex) {
        boolean gradWas = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try (NDManager m = model.manager().newSubManager()) {
            return run(m, prompts, samplesPerPrompt, params, firstPromptIndex);
        } finally {
            Autograd.setEnabledOnThisThread(gradWas);
        }
    }

    private RolloutBatch run(NDManager m, List<int[]> prompts, int copies, SamplingParams params, int firstPromptIndex) {
        int vocab = model.config().vocabSize();
        StopStrings stops = new StopStrings(params.stopStrings(), detokenizer);
        PaddedBatch prompt = PaddedBatch.leftPadded(prompts, 0);
        int width = prompt.width();
        Row[] rows = new Row[prompts.size() * copies];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new Row(r / copies, r % copies, params.maxNewTokens(), params.seed(), firstPromptIndex);
        }
        Batch batch = new Batch();
        batch.slots = rows.clone();
        int capacity = width + params.maxNewTokens();
        long[] keyMask = new long[rows.length * capacity];
        long[] firstPosition = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Arrays.fill(keyMask, i * capacity + prompt.pad()[rows[i].prompt], (i + 1) * capacity, 1L);
            firstPosition[i] = prompt.length(rows[i].prompt);
        }
        batch.keyMask = m.create(keyMask, new Shape(rows.length, capacity));                   // [n, width + maxNew]
        batch.firstPosition = m.create(firstPosition, new Shape(rows.length, 1));              // [n, 1]
        KvCache cache;
        try (NDScope ignored = new NDScope()) {
            KvCache prefill = KvCache.allocate(model.config(), prompts.size(), width, m, model.dataType());
            NDArray hidden = model.forward(prompt.idsArray(m), prompt.maskArray(m), prompt.positionsArray(m), prefill, 0);
            // Every row of a prompt samples its first token from the prompt's one logits row.
            sampleStep(model.logits(CausalLM.lastPosition(hidden)), batch, copies, vocab, params, stops); // [P, V]
            cache = prefill.fork(copies, width, width + params.maxNewTokens(), m);
            prefill.close();
        }
        try {
            for (int step = 1; batch.finishedSlots < batch.slots.length; step++) {
                if (batch.finishedSlots * 4 >= batch.slots.length) {
                    compact(batch, cache, m);
                }
                int n = batch.slots.length;
                int slot = width + step - 1;
                long[] next = new long[n];
                for (int i = 0; i < n; i++) {
                    Row row = batch.slots[i];
                    next[i] = row.tokens[row.length - 1];   // finished rows repeat their last token, ignored
                }
                try (NDScope ignored = new NDScope()) {
                    NDArray keys = batch.keyMask.get(new NDIndex(":, :{}", slot + 1));               // [n, slot + 1]
                    NDArray positions = batch.firstPosition.add(step - 1);                          // [n, 1]
                    NDArray hidden = model.forward(m.create(next, new Shape(n, 1)), keys, positions, cache, slot); // [n, 1, H]
                    sampleStep(model.logits(CausalLM.lastPosition(hidden)), batch, 1, vocab, params, stops); // [n, V]
                }
            }
        } finally {
            cache.close();
        }
        List<Completion> out = new ArrayList<>(rows.length);
        for (Row row : rows) {
            out.add(finish(row, stops));
        }
        return new RolloutBatch(prompts, copies, out);
    }

    /**
     * Samples one token for every running row from {@code logits [n, V]}; slot i reads logits row
     * {@code i / rowsPerLogitsRow}. Log-probabilities come from a log-sum-exp computed by the engine;
     * a row whose log-sum-exp is not finite holds NaN or infinity and stops the rollout.
     */
    private void sampleStep(NDArray logits, Batch batch, int rowsPerLogitsRow, int vocab, SamplingParams params,
                            StopStrings stops) {
        NDArray f32 = logits.toType(DataType.FLOAT32, false);                                   // [n, V]
        double lpT = params.effectiveLogProbTemperature();
        NDArray scaled = lpT == 1.0 ? f32 : f32.div(lpT);
        NDArray rowMax = scaled.max(new int[] {-1}, true);                                    // [n, 1]
        float[] logNormaliser = scaled.sub(rowMax).exp().sum(new int[] {-1}).log()
                .add(rowMax.squeeze(-1)).toFloatArray();                                       // [n]
        FloatBuffer values = f32.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < batch.slots.length; i++) {
            Row row = batch.slots[i];
            if (row.finish != null) {
                continue;
            }
            int logitsRow = i / rowsPerLogitsRow;
            if (!Float.isFinite(logNormaliser[logitsRow])) { // NaN or +inf anywhere in the row makes it so
                throw new NonFiniteLogitsException(row.prompt, row.sample, row.length + 1);
            }
            int token = sampler.sample(values, logitsRow * vocab, vocab, params, row.rng);
            row.tokens[row.length] = token;
            row.logProbs[row.length] = (float) (values.get(logitsRow * vocab + token) / lpT - logNormaliser[logitsRow]);
            row.length++;
            if (eosIds.contains(token) || (!stops.isEmpty() && stops.endsAStop(row.tokens, row.length))) {
                row.finish = FinishReason.STOP;
            } else if (row.length == row.tokens.length) {
                row.finish = FinishReason.LENGTH;
            }
            if (row.finish != null) {
                batch.finishedSlots++;
            }
        }
    }

    /** Drops finished rows from the batch, its device arrays and the KV cache. */
    private static void compact(Batch batch, KvCache cache, NDManager m) {
        int running = batch.slots.length - batch.finishedSlots;
        long[] keep = new long[running];
        Row[] slots = new Row[running];
        for (int i = 0, j = 0; i < batch.slots.length; i++) {
            if (batch.slots[i].finish == null) {
                keep[j] = i;
                slots[j++] = batch.slots[i];
            }
        }
        cache.keepRows(keep);
        try (NDArray rows = m.create(keep)) {
            NDArray keyMask = batch.keyMask.get(new NDIndex("{}", rows));
            NDArray firstPosition = batch.firstPosition.get(new NDIndex("{}", rows));
            batch.keyMask.close();
            batch.firstPosition.close();
            batch.keyMask = keyMask;
            batch.firstPosition = firstPosition;
        }
        batch.slots = slots;
        batch.finishedSlots = 0;
    }

    private Completion finish(Row row, StopStrings stops) {
        return Completion.of(row.prompt, row.sample, Arrays.copyOf(row.tokens, row.length),
                Arrays.copyOf(row.logProbs, row.length), row.finish, detokenizer, eosIds, stops);
    }

    /** A row's seed from the run seed, its prompt and its sample (SplitMix64 finaliser). */
    public static long mix(long seed, int promptIndex, int sampleIndex) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + promptIndex) + 0xBF58476D1CE4E5B9L * (1 + sampleIndex);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
