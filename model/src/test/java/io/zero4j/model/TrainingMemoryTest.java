package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.zero4j.model.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** 200 steps of forward + backward + SGD update keep the process's resident memory flat. */
class TrainingMemoryTest {

    static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    @Test
    void residentMemoryStaysFlatOver200Steps() throws IOException {
        ModelConfig config = ModelConfig.of(Architecture.QWEN2, 64, 128, 2, 4, 2, 300, false, 256);
        Random rng = new Random(1);
        long at20 = 0;
        long at200 = 0;
        try (CausalLM model = TinyModels.randomModel(config, 1, DataType.FLOAT32);
             NDManager m = NDManager.newBaseManager()) {
            model.setTrainable(true);
            for (int step = 1; step <= 200; step++) {
                List<int[]> seqs = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    int[] s = new int[8 + rng.nextInt(40)]; // varying shapes, as in real batches
                    for (int i = 0; i < s.length; i++) {
                        s[i] = rng.nextInt(config.vocabSize());
                    }
                    seqs.add(s);
                }
                PaddedBatch b = PaddedBatch.rightPadded(seqs, 0);
                try (NDScope ignored = new NDScope()) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray ids = b.idsArray(m);
                        NDArray hidden = model.forward(ids, b.maskArray(m), b.positionsArray(m), null, 0);
                        NDArray logp = TokenLogProbs.compute(hidden.get(new NDIndex(":, :-1, :")), model.lmHead(),
                                ids.get(new NDIndex(":, 1:")), 1.0, true, 1 << 12).logProbs();
                        collector.backward(logp.mean().neg());
                    }
                    for (NDArray p : model.parameters().values()) {
                        p.subi(p.getGradient().mul(1e-3));
                    }
                    Autograd.zeroGradients(model.parameters().values());
                }
                if (step == 20) {
                    System.gc();
                    at20 = residentKiB();
                }
            }
            System.gc();
            at200 = residentKiB();
        }
        assertTrue(at200 <= at20 * 1.10, "resident memory grew from " + at20 + " KiB at step 20 to " + at200
                + " KiB at step 200");
    }
}
