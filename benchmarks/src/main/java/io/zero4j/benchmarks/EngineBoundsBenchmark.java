package io.zero4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's own limits on this machine, measured in the same run as the model benchmarks:
 * float32 matmul throughput at a transformer-like shape (one 0.5B MLP projection over 512 tokens:
 * 2 * 512 * 896 * 4864 = 4.46 GFLOP per call), and read bandwidth (summing a 1 GiB tensor).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
public class EngineBoundsBenchmark {
    public static final double MATMUL_FLOP = 2.0 * 512 * 896 * 4864;
    public static final double READ_BYTES = 256.0 * 1024 * 1024 * 4;

    private NDManager manager;
    private NDArray activations;
    private NDArray weight;
    private NDArray big;

    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(BenchModels.device());
        activations = manager.randomNormal(new Shape(512, 896));
        weight = manager.randomNormal(new Shape(896, 4864));
        big = manager.randomUniform(0, 1, new Shape(256L * 1024 * 1024));
    }

    @Benchmark
    public float matmul() {
        try (NDArray y = activations.matMul(weight)) {
            return y.getFloat(0, 0);
        }
    }

    @Benchmark
    public float readBandwidth() {
        try (NDArray s = big.sum()) {
            return s.getFloat();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }
}
