package io.zero4j.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.PaddedBatch;
import io.zero4j.model.TokenLogProbs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peak resident memory of one full training step: {@code rows x length} tokens through forward,
 * chunked log-probabilities and backward in micro-batches of {@code microBatch} rows (gradients
 * accumulate), then an AdamW-shaped update with two float32 moment buffers per parameter. Prints
 * the step time and the process's peak RSS (VmHWM).
 *
 * <p>{@code java -cp ... io.zero4j.benchmarks.PeakTrainingMemory qwen2.5-0.5b 8 512 2}
 */
public final class PeakTrainingMemory {
    private PeakTrainingMemory() {
    }

    public static void main(String[] args) throws IOException {
        String preset = args.length > 0 ? args[0] : "qwen2.5-0.5b";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int length = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int microBatch = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        try (CausalLM lm = BenchModels.create(preset)) {
            stage("weights");
            lm.setTrainable(true);
            Map<String, NDArray[]> moments = new LinkedHashMap<>();
            lm.parameters().forEach((name, p) -> {
                NDArray[] mv = {lm.manager().zeros(p.getShape()), lm.manager().zeros(p.getShape())};
                moments.put(name, mv);
            });
            stage("weights + moments");
            long start = System.nanoTime();
            for (int first = 0; first < rows; first += microBatch) {
                List<int[]> seqs = new ArrayList<>();
                for (int r = first; r < Math.min(rows, first + microBatch); r++) {
                    seqs.add(BenchModels.randomTokens(length, lm.config().vocabSize(), r));
                }
                PaddedBatch b = PaddedBatch.rightPadded(seqs, 0);
                try (NDScope ignored = new NDScope();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray ids = b.idsArray(lm.manager());
                    NDArray hidden = lm.forward(ids, b.maskArray(lm.manager()), b.positionsArray(lm.manager()), null, 0);
                    NDArray logp = TokenLogProbs.compute(hidden.get(new NDIndex(":, :-1, :")), lm.lmHead(),
                            ids.get(new NDIndex(":, 1:")), 1.0, false, TokenLogProbs.DEFAULT_CHUNK_ELEMENTS).logProbs();
                    collector.backward(logp.sum().div(-(double) rows * (length - 1)));
                }
                stage("after micro-batch at row " + first);
            }
            lm.parameters().forEach((name, p) -> {
                try (NDScope ignored = new NDScope()) { // one parameter's temporaries at a time
                    NDArray g = p.getGradient();
                    NDArray[] mv = moments.get(name);
                    mv[0].muli(0.9).addi(g.mul(0.1));                 // in place where it can: one
                    mv[1].muli(0.999).addi(g.square().muli(0.001));   // parameter-sized temporary
                    NDArray step = mv[1].sqrt().addi(1e-8);            // at a time
                    p.subi(mv[0].div(step).muli(1e-6));
                }
            });
            Autograd.zeroGradients(lm.parameters().values());
            stage("after update");
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d x %d tokens, micro-batch %d: step %.1f s, peak RSS %.2f GiB%n", preset, rows, length,
                    microBatch, seconds, peakRssKiB() / 1024.0 / 1024.0);
        }
    }

    private static void stage(String what) throws IOException {
        System.out.printf("  %-28s RSS %.2f GiB, peak %.2f GiB%n", what, status("VmRSS:") / 1048576.0,
                status("VmHWM:") / 1048576.0);
    }

    static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + key + " in /proc/self/status");
    }

    static long peakRssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/self/status");
    }
}
