package io.zero4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.KvCache;
import java.util.Arrays;
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
 * One batched decoding step with a KV cache holding {@code CONTEXT} tokens per row: the forward
 * of one new token per row, then its logits copied to Java for the sampler. Tokens per second =
 * batch / step time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
public class DecodeStepBenchmark {
    static final int CONTEXT = 128;

    @Param({"toy", "qwen2.5-0.5b"})
    public String model;

    @Param({"1", "8", "64"})
    public int batch;

    private CausalLM lm;
    private NDManager manager;
    private KvCache cache;
    private long[] tokens;
    private long[] positions;
    private long[] keyMask;

    @Setup(Level.Trial)
    public void setUp() {
        Autograd.disableOnThisThread();
        lm = BenchModels.create(model);
        manager = lm.manager().newSubManager();
        int vocab = lm.config().vocabSize();
        int[] prompt = BenchModels.randomTokens(CONTEXT, vocab, 1);
        long[] ids = Arrays.stream(prompt).asLongStream().toArray();
        long[] pos = new long[CONTEXT];
        Arrays.setAll(pos, i -> i);
        try (NDScope ignored = new NDScope()) {
            KvCache prefill = KvCache.allocate(lm.config(), 1, CONTEXT, manager, lm.dataType());
            lm.forward(manager.create(ids, new Shape(1, CONTEXT)), null, manager.create(pos, new Shape(1, CONTEXT)),
                    prefill, 0);
            cache = prefill.fork(batch, CONTEXT, CONTEXT + 1, manager);
            prefill.close();
        }
        tokens = Arrays.stream(BenchModels.randomTokens(batch, vocab, 2)).asLongStream().toArray();
        positions = new long[batch];
        Arrays.fill(positions, CONTEXT);
        keyMask = new long[batch * (CONTEXT + 1)];
        Arrays.fill(keyMask, 1);
    }

    @Benchmark
    public float[] decodeStep() {
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDArray hidden = lm.forward(manager.create(tokens, new Shape(batch, 1)),
                    manager.create(keyMask, new Shape(batch, CONTEXT + 1)), manager.create(positions, new Shape(batch, 1)),
                    cache, CONTEXT);                                                  // [B, 1, H]
            return lm.logits(CausalLM.lastPosition(hidden)).toFloatArray();           // [B, V]
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        lm.close();
    }
}
