package io.zero4j.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import java.util.Random;

/**
 * Random-weight models of the two benchmark shapes, and random token batches for them, on the device
 * named by the environment variable {@value #DEVICE_VARIABLE} (as {@code run.device}; default cpu),
 * which JMH's forked JVMs inherit: {@code benchmarks/run.sh --device gpu}.
 */
final class BenchModels {
    static final String DEVICE_VARIABLE = "ZERO4J_BENCH_DEVICE";

    private BenchModels() {
    }

    static Device device() {
        return Devices.resolve(System.getenv(DEVICE_VARIABLE), DEVICE_VARIABLE);
    }

    static CausalLM create(String preset) {
        return RandomInit.create(ModelPresets.byName(preset), 1, device(), DataType.FLOAT32);
    }

    static int[] randomTokens(int length, int vocab, long seed) {
        Random r = new Random(seed);
        int[] t = new int[length];
        for (int i = 0; i < length; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }
}
