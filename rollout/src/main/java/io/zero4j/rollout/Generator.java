package io.zero4j.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.KvCache;
import io.zero4j.model.PaddedBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Batched generation with a KV cache: the prompts are left-padded and prefilled once, each is
 * forked into {@code samplesPerPrompt} rows, and all rows then decode one token per step. A row
 * that emits an EOS id (or runs out of budget) leaves the batch, and the cache is compacted to the
 * rows still running, so finished rows cost nothing.
 */
public final class Generator {
    private final CausalLM model;
    private final Set<Integer> eosIds;

    public Generator(CausalLM model, Set<Integer> eosIds) {
        this.model = model;
        this.eosIds = Set.copyOf(eosIds);
    }

    /** Completions in prompt-major order: prompt 0's samples, then prompt 1's, ... */
    public List<Completion> generate(List<int[]> prompts, int samplesPerPrompt, SamplingParams params) {
        boolean gradWas = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try (NDManager m = model.manager().newSubManager()) {
            return run(m, prompts, samplesPerPrompt, params);
        } finally {
            Autograd.setEnabledOnThisThread(gradWas);
        }
    }

    private List<Completion> run(NDManager m, List<int[]> prompts, int copies, SamplingParams params) {
        int vocab = model.config().vocabSize();
        double logProbTemperature = params.effectiveLogProbTemperature();
        PaddedBatch prompt = PaddedBatch.leftPadded(prompts, 0);
        int width = prompt.width();
        int capacity = width + params.maxNewTokens();
        int rows = prompts.size() * copies;
        // Per running row (index into the compacted batch): which original row it is.
        int[] rowOf = new int[rows];
        List<List<Integer>> tokens = new ArrayList<>();
        List<List<Float>> logProbs = new ArrayList<>();
        SplittableRandom[] rngs = new SplittableRandom[rows];
        FinishReason[] finish = new FinishReason[rows];
        for (int r = 0; r < rows; r++) {
            rowOf[r] = r;
            tokens.add(new ArrayList<>());
            logProbs.add(new ArrayList<>());
            rngs[r] = new SplittableRandom(mix(params.seed(), r / copies, r % copies));
        }
        float[] logits;
        KvCache cache;
        try (NDScope ignored = new NDScope()) {
            KvCache prefill = KvCache.allocate(model.config(), prompts.size(), width, m, model.dataType());
            NDArray hidden = model.forward(prompt.idsArray(m), prompt.maskArray(m), prompt.positionsArray(m), prefill, 0);
            logits = model.logits(CausalLM.lastPosition(hidden)).toType(DataType.FLOAT32, false)
                    .repeat(0, copies).toFloatArray();                                   // [P*G, V]
            cache = prefill.fork(copies, width, capacity, m);
            prefill.close();
        }
        int running = rows;
        try {
            for (int step = 0; running > 0; step++) {
                int slot = width + step;
                long[] next = new long[running];
                long[] positions = new long[running];
                List<Integer> keep = new ArrayList<>();
                for (int i = 0; i < running; i++) {
                    int r = rowOf[i];
                    int token = TokenSampler.pick(logits, i * vocab, vocab, params.temperature(), rngs[r]);
                    tokens.get(r).add(token);
                    logProbs.get(r).add(TokenSampler.logProb(logits, i * vocab, vocab, token, logProbTemperature));
                    if (eosIds.contains(token)) {
                        finish[r] = FinishReason.STOP;
                    } else if (tokens.get(r).size() >= params.maxNewTokens()) {
                        finish[r] = FinishReason.LENGTH;
                    } else {
                        keep.add(i);
                    }
                    next[i] = token;
                    positions[i] = prompt.length(r / copies) + tokens.get(r).size() - 1;
                }
                if (keep.isEmpty()) {
                    break;
                }
                if (keep.size() < running) {
                    long[] kept = keep.stream().mapToLong(Integer::longValue).toArray();
                    cache.keepRows(kept);
                    int[] newRowOf = new int[kept.length];
                    long[] newNext = new long[kept.length];
                    long[] newPos = new long[kept.length];
                    for (int j = 0; j < kept.length; j++) {
                        newRowOf[j] = rowOf[(int) kept[j]];
                        newNext[j] = next[(int) kept[j]];
                        newPos[j] = positions[(int) kept[j]];
                    }
                    rowOf = newRowOf;
                    next = newNext;
                    positions = newPos;
                    running = kept.length;
                }
                long[] keyMask = new long[running * (slot + 1)];
                for (int i = 0; i < running; i++) {
                    int pad = prompt.pad()[rowOf[i] / copies];
                    java.util.Arrays.fill(keyMask, i * (slot + 1) + pad, (i + 1) * (slot + 1), 1L);
                }
                try (NDScope ignored = new NDScope()) {
                    NDArray hidden = model.forward(m.create(next, new Shape(running, 1)),
                            m.create(keyMask, new Shape(running, slot + 1)), m.create(positions, new Shape(running, 1)),
                            cache, slot);                                                // [A, 1, H]
                    logits = model.logits(CausalLM.lastPosition(hidden))
                            .toType(DataType.FLOAT32, false).toFloatArray(); // [A, V]
                }
            }
        } finally {
            cache.close();
        }
        List<Completion> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int[] ids = tokens.get(r).stream().mapToInt(Integer::intValue).toArray();
            float[] lp = new float[ids.length];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = logProbs.get(r).get(i);
            }
            out.add(new Completion(r / copies, r % copies, ids, lp, finish[r]));
        }
        return out;
    }

    /** A row's seed from the run seed, its prompt and its sample (SplitMix64 finaliser). */
    static long mix(long seed, int promptIndex, int sampleIndex) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + promptIndex) + 0xBF58476D1CE4E5B9L * (1 + sampleIndex);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
