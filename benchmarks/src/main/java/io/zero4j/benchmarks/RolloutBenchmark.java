package io.zero4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.KvCache;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole rollout, P x G = 8 x 8 rows, 32-token prompts, 128 new tokens each (no EOS, so every row
 * runs to the limit), temperature 1 and top-p 0.95; beside it, one bare decode step of the same
 * 64-row batch at the rollout's mean context (32 + 64 tokens), measured in the same run. Rollout
 * tokens/s over 64 / step time is the share of decoding speed the sampling loop keeps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
public class RolloutBenchmark {
    static final int PROMPTS = 8;
    static final int GROUP = 8;
    static final int PROMPT_LENGTH = 32;
    static final int NEW_TOKENS = 128;
    static final int CONTEXT = PROMPT_LENGTH + NEW_TOKENS / 2;

    @Param({"toy", "qwen2.5-0.5b"})
    public String model;

    private CausalLM lm;
    private RolloutEngine engine;
    private List<int[]> prompts;
    private SamplingParams params;
    private NDManager manager;
    private KvCache cache;

    @Setup(Level.Trial)
    public void setUp() {
        lm = BenchModels.create(model);
        int vocab = lm.config().vocabSize();
        engine = new RolloutEngine(lm, ids -> "", Set.of());
        prompts = new ArrayList<>();
        for (int p = 0; p < PROMPTS; p++) {
            prompts.add(BenchModels.randomTokens(PROMPT_LENGTH, vocab, p));
        }
        params = new SamplingParams(1.0, NEW_TOKENS, 3).withTopP(0.95);
        manager = lm.manager().newSubManager();
        cache = KvCache.allocate(lm.config(), PROMPTS * GROUP, CONTEXT + 1, manager, lm.dataType());
    }

    @Benchmark
    public RolloutBatch rollout() {
        RolloutBatch batch = engine.generate(prompts, GROUP, params);
        if (batch.generatedTokens() != (long) PROMPTS * GROUP * NEW_TOKENS) {
            throw new IllegalStateException("expected every row to run to the limit");
        }
        return batch;
    }

    /** One decode step of the same 64 rows, logits to Java, no sampling. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public float[] decodeStep() {
        Autograd.disableOnThisThread();
        int rows = PROMPTS * GROUP;
        long[] tokens = new long[rows];
        long[] positions = new long[rows];
        Arrays.fill(positions, CONTEXT);
        long[] mask = new long[rows * (CONTEXT + 1)];
        Arrays.fill(mask, 1);
        try (NDScope ignored = new NDScope()) {
            NDArray hidden = lm.forward(manager.create(tokens, new Shape(rows, 1)), manager.create(mask, new Shape(rows, CONTEXT + 1)),
                    manager.create(positions, new Shape(rows, 1)), cache, CONTEXT);          // [64, 1, H]
            return lm.logits(CausalLM.lastPosition(hidden)).toFloatArray();             // [64, V]
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        lm.close();
    }
}
