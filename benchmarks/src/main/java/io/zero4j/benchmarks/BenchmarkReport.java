package io.zero4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelPresets;
import io.zero4j.trainer.bench.ShapeCost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one JMH JSON result file into the tables of {@code RESULTS.md}: every model figure beside
 * the bound measured in the same run (matmul GFLOP/s, read bandwidth) and the ratio to it. Times
 * are medians over the measured iterations.
 * Usage: {@code BenchmarkReport results.json}.
 */
public final class BenchmarkReport {
    private BenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        JsonNode runs = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        Map<String, Double> ms = new HashMap<>();
        for (JsonNode run : runs) {
            String name = run.get("benchmark").asText();
            name = name.substring(name.lastIndexOf('.') + 1);
            StringBuilder key = new StringBuilder(name);
            JsonNode params = run.get("params");
            if (params != null) {
                key.append(" model=").append(params.path("model").asText(""));
                if (params.has("batch")) {
                    key.append(" batch=").append(params.get("batch").asText());
                }
            }
            ms.put(key.toString().trim().replaceAll(" model=$", ""), median(run.get("primaryMetric").get("rawData")));
        }
        if (!ms.containsKey("matmul") || !ms.containsKey("readBandwidth")) { // a selection without the engine bounds
            System.out.println("| benchmark | median score |");
            System.out.println("| --- | ---: |");
            ms.forEach((name, score) -> System.out.printf("| %s | %,.1f |%n", name, score));
            return;
        }
        double gflops = EngineBoundsBenchmark.MATMUL_FLOP / (ms.get("matmul") / 1e3) / 1e9;
        double bandwidth = EngineBoundsBenchmark.READ_BYTES / (ms.get("readBandwidth") / 1e3) / 1e9;
        System.out.printf("Engine bounds on %s: matmul %.1f GFLOP/s (float32, [512,896]x[896,4864]), read bandwidth %.1f GB/s%n%n",
                System.getenv().getOrDefault(BenchModels.DEVICE_VARIABLE, "cpu"),
                gflops, bandwidth);
        System.out.println("| model | measurement | tokens/s | bound (tokens/s) | bound from | ratio |");
        System.out.println("| --- | --- | ---: | ---: | --- | ---: |");
        for (String model : new String[] {"toy", "qwen2.5-0.5b"}) {
            ModelConfig c = ModelPresets.byName(model);
            ShapeCost cost = new ShapeCost(c);
            for (int batch : new int[] {1, 8, 64}) {
                Double t = ms.get("decodeStep model=" + model + " batch=" + batch);
                if (t == null) {
                    continue;
                }
                double rate = batch / (t / 1e3);
                double computeBound = gflops * 1e9 / (cost.bodyFlop() + cost.headFlop()
                        + cost.attentionFlop(DecodeStepBenchmark.CONTEXT));
                double memoryBound = batch * bandwidth * 1e9 / cost.weightBytes();
                boolean memory = memoryBound < computeBound;
                row(model, "decode step, batch " + batch, rate, Math.min(computeBound, memoryBound),
                        memory ? "weight bytes / bandwidth" : "FLOPs / matmul rate");
            }
        }
    }

    /** Median over all measured iterations of all forks: robust to the odd slow iteration. */
    static double median(JsonNode rawData) {
        List<Double> values = new ArrayList<>();
        rawData.forEach(fork -> fork.forEach(v -> values.add(v.asDouble())));
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static void row(String model, String what, double rate, double bound, String from) {
        System.out.printf("| %s | %s | %.1f | %.1f | %s | %.2f |%n", model, what, rate, bound, from, rate / bound);
    }
}
