package io.zero4j.benchmarks;

import io.zero4j.rollout.Sampler;
import io.zero4j.rollout.SamplingParams;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds to draw one token from a 151,936-entry row, per sampling mode, beside a baseline that
 * only reads the row once (its maximum). Rows: {@code peaked} imitates a confident LM (30 plausible
 * tokens 20-28 nats above a N(0, 2.5) bulk), {@code flat} an unsure one (30 tokens 4-8 above).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class SamplerBenchmark {
    static final int VOCAB = 151_936;

    @Param({"peaked", "flat"})
    public String row;

    private FloatBuffer logits;
    private Sampler sampler;
    private SplittableRandom rng;
    private final SamplingParams greedy = SamplingParams.greedy(1);
    private final SamplingParams temperature = new SamplingParams(0.7, 1, 0);
    private final SamplingParams topK = temperature.withTopK(50);
    private final SamplingParams topP = temperature.withTopP(0.95);

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(7);
        float[] values = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            values[i] = (float) (r.nextGaussian() * 2.5);
        }
        boolean peaked = row.equals("peaked");
        for (int i = 0; i < 30; i++) {
            values[r.nextInt(VOCAB)] = (peaked ? 20f : 4f) + r.nextFloat() * (peaked ? 8f : 4f);
        }
        logits = FloatBuffer.wrap(values);
        sampler = new Sampler(VOCAB);
        rng = new SplittableRandom(1);
    }

    @Benchmark
    public float baselineMax() {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < VOCAB; v++) {
            float x = logits.get(v);
            if (x > max) {
                max = x;
            }
        }
        return max;
    }

    @Benchmark
    public int greedy() {
        return sampler.sample(logits, 0, VOCAB, greedy, rng);
    }

    @Benchmark
    public int temperature() {
        return sampler.sample(logits, 0, VOCAB, temperature, rng);
    }

    @Benchmark
    public int topK50() {
        return sampler.sample(logits, 0, VOCAB, topK, rng);
    }

    @Benchmark
    public int topP095() {
        return sampler.sample(logits, 0, VOCAB, topP, rng);
    }
}
