package io.zero4j.trainer.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.CausalLM;
import io.zero4j.trainer.config.RunConfigLoader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./zero4j bench}: the engine's matmul rate and read bandwidth, then for one model decode at
 * batch 1, 8, 64 (and the step's rollout batch), prefill, and one GRPO step split into rollout, reward
 * and update, with a bare forward + backward of the same micro-batches and the step's peak resident
 * memory. Every rate sits beside its bound from the same run, and the ratio.
 */
public final class BenchSuite {
    /** One line of the table: a rate and the bound it is measured against. */
    record Row(String measurement, double value, String unit, double bound, String boundFrom) {
        double ratio() {
            return value / bound;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final ObjectNode json = RunConfigLoader.MAPPER.createObjectNode();

    private BenchSuite() {
    }

    /** Runs everything on {@code model}; {@code name} is what the user typed for it. */
    public static BenchSuite run(CausalLM model, String name, StepBench.Shape shape, int warmupSteps, int measuredSteps,
                                 PrintStream progress) {
        BenchSuite s = new BenchSuite();
        ShapeCost cost = new ShapeCost(model.config());
        s.json.put("model", name);
        s.json.put("parameters", cost.bodyParameters() + (double) model.config().vocabSize() * model.config().hiddenSize());
        s.json.put("adapters", model.adapters() == null ? "none" : "lora r=" + model.adapters().config().r());
        say(progress, "engine rates");
        double[] engine = ModelRates.engine(model.manager());
        double flops = engine[0] * 1e9;
        double bytesPerSecond = engine[1] * 1e9;
        s.json.put("matmul_gflops", engine[0]);
        s.json.put("read_gb_per_s", engine[1]);
        // The step first: its peak memory is then its own, not what the allocator kept from the prefill below.
        say(progress, "GRPO step " + shape.prompts() + " x " + shape.generations() + " x " + shape.completionLength()
                + " (micro-batch " + shape.microBatch() + (shape.checkpointing() ? ", gradient checkpointing" : "") + ")");
        StepBench.Result step = StepBench.run(model, shape, warmupSteps, measuredSteps);
        boolean big = cost.bodyParameters() > 1e8;
        ObjectNode decode = s.json.putObject("decode_tokens_per_s");
        Set<Integer> batches = new LinkedHashSet<>(List.of(1, 8, 64, shape.rows()));
        for (int batch : batches) {
            say(progress, "decode, batch " + batch);
            double seconds = ModelRates.decodeStep(model, batch, big ? 5 : 20);
            double compute = flops / (cost.bodyFlop() + cost.headFlop() + cost.attentionFlop(ModelRates.CONTEXT));
            double memory = batch * bytesPerSecond / cost.weightBytes();
            s.rows.add(new Row("decode step, batch " + batch, batch / seconds, "tokens/s", Math.min(compute, memory),
                    memory < compute ? "weight bytes / bandwidth" : "FLOPs / matmul rate"));
            decode.put(String.valueOf(batch), batch / seconds);
        }
        say(progress, "prefill");
        int prefillTokens = ModelRates.PREFILL_ROWS * ModelRates.CONTEXT;
        double prefill = prefillTokens / ModelRates.prefill(model, 3);
        s.rows.add(new Row("prefill " + ModelRates.PREFILL_ROWS + " x " + ModelRates.CONTEXT, prefill, "tokens/s",
                flops / (cost.bodyFlop() + cost.attentionFlop(ModelRates.CONTEXT / 2.0)), "FLOPs / matmul rate"));
        s.json.put("prefill_tokens_per_s", prefill);
        s.step(step, shape, cost, flops);
        return s;
    }

    private static void say(PrintStream progress, String what) {
        progress.printf("bench (resident %.1f GiB): %s%n", ResidentMemory.currentGib(), what);
    }

    private void step(StepBench.Result r, StepBench.Shape shape, ShapeCost cost, double flops) {
        double rollout = r.generatedTokens() / r.rolloutSeconds();
        double decodeAtBatch = json.get("decode_tokens_per_s").get(String.valueOf(shape.rows())).asDouble();
        rows.add(new Row("rollout " + shape.rows() + " rows x " + shape.completionLength(), rollout, "tokens/s", decodeAtBatch,
                "decode step at batch " + shape.rows()));
        double update = r.trainedTokens() / r.updateSeconds();
        double bare = r.trainedTokens() / r.bareSeconds();
        double context = shape.promptLength() + shape.completionLength() / 2.0;
        double completionShare = (double) r.generatedTokens() / r.trainedTokens();
        double trainBound = flops / (3 * (cost.bodyFlop() + completionShare * cost.headFlop() + cost.attentionFlop(context)));
        rows.add(new Row("bare forward + backward, same micro-batches", bare, "tokens/s", trainBound,
                "3 x forward FLOPs / matmul rate"));
        rows.add(new Row("update (loss, backward, optimizer)", update, "tokens/s", bare, "bare forward + backward"));
        rows.add(new Row("GRPO step", 1 / r.stepSeconds(), "steps/s", 1 / (r.generatedTokens() / decodeAtBatch
                + r.trainedTokens() / bare), "its tokens at decode + bare training rates"));
        json.put("prompts", shape.prompts());
        json.put("generations", shape.generations());
        json.put("prompt_length", shape.promptLength());
        json.put("completion_length", shape.completionLength());
        json.put("micro_batch_size", shape.microBatch());
        json.put("gradient_checkpointing", shape.checkpointing());
        json.put("step_s", r.stepSeconds());
        json.put("rollout_s", r.rolloutSeconds());
        json.put("reward_s", r.rewardSeconds());
        json.put("update_s", r.updateSeconds());
        json.put("rollout_tokens_per_s", rollout);
        json.put("update_tokens_per_s", update);
        json.put("train_tokens_per_s", bare);
        json.put("update_over_train", update / bare);
        json.put("peak_rss_gib", r.peakRssGib());
        json.put("rss_before_step_gib", r.rssBeforeGib());
        json.put("peak_rss_is_the_step_alone", r.peakIsThisStep());
    }

    public ObjectNode json() {
        return json;
    }

    /** The table, for the terminal. */
    public void print(PrintStream out) {
        out.printf("engine: matmul %.1f GFLOP/s (float32 [512,896] x [896,4864]), read %.1f GB/s (sum over 1 GiB)%n",
                json.get("matmul_gflops").asDouble(), json.get("read_gb_per_s").asDouble());
        out.printf("model: %s, %.0fM parameters, adapters: %s%n", json.get("model").asText(),
                json.get("parameters").asDouble() / 1e6, json.get("adapters").asText());
        out.println();
        out.println("| measurement | rate | bound | bound from | ratio |");
        out.println("| --- | ---: | ---: | --- | ---: |");
        for (Row row : rows) {
            out.printf("| %s | %.4g %s | %.4g | %s | %.2f |%n", row.measurement(), row.value(), row.unit(), row.bound(),
                    row.boundFrom(), row.ratio());
        }
        out.println();
        out.printf("GRPO step: %.2f s = rollout %.2f s + reward %.4f s + update %.2f s; peak resident %.2f GiB%s%n",
                json.get("step_s").asDouble(), json.get("rollout_s").asDouble(), json.get("reward_s").asDouble(),
                json.get("update_s").asDouble(), json.get("peak_rss_gib").asDouble(),
                json.get("peak_rss_is_the_step_alone").asBoolean() ? " (this step)" : " (whole process)");
    }
}
