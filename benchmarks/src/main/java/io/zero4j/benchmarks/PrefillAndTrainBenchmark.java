package io.zero4j.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.PaddedBatch;
import io.zero4j.model.TokenLogProbs;
import java.util.ArrayList;
import java.util.List;
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
 * Whole-batch passes over {@code ROWS x LENGTH} tokens: prefill (forward, last-position logits)
 * and a training step (forward, chunked target log-probabilities, backward). Single-shot: one
 * 0.5B training step takes tens of seconds on 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
public class PrefillAndTrainBenchmark {
    static final int ROWS = 8;
    static final int LENGTH = 128;

    @Param({"toy", "qwen2.5-0.5b"})
    public String model;

    private CausalLM lm;
    private NDManager manager;
    private PaddedBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        lm = BenchModels.create(model);
        manager = lm.manager().newSubManager();
        List<int[]> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            rows.add(BenchModels.randomTokens(LENGTH, lm.config().vocabSize(), r));
        }
        batch = PaddedBatch.rightPadded(rows, 0);
    }

    @Benchmark
    public float[] prefill() {
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDArray hidden = lm.forward(batch.idsArray(manager), batch.maskArray(manager),
                    batch.positionsArray(manager), null, 0);                          // [B, T, H]
            return lm.logits(CausalLM.lastPosition(hidden)).toFloatArray();           // [B, V]
        }
    }

    @Benchmark
    public float trainStep() {
        lm.setTrainable(true);
        try (NDScope ignored = new NDScope()) {
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ids = batch.idsArray(manager);
                NDArray hidden = lm.forward(ids, batch.maskArray(manager), batch.positionsArray(manager), null, 0);
                NDArray logp = TokenLogProbs.compute(hidden.get(new NDIndex(":, :-1, :")), lm.lmHead(),
                        ids.get(new NDIndex(":, 1:")), 1.0, false, TokenLogProbs.DEFAULT_CHUNK_ELEMENTS).logProbs();
                NDArray objective = logp.mean().neg();                                 // [] next-token NLL
                collector.backward(objective);
                loss = objective.getFloat();
            }
            Autograd.zeroGradients(lm.parameters().values());
            return loss;
        } finally {
            lm.setTrainable(false);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lm.close();
    }
}
