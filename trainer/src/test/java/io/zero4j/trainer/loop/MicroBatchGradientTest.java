package io.zero4j.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.lora.LoraAdapters;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.grpo.GrpoSettings.LossType;
import io.zero4j.trainer.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One optimizer step's gradient does not depend on how the batch is cut: micro-batches of 1 row
 * accumulated, and the whole batch in one micro-batch (padded to its longest prompt and completion),
 * give the same gradient to 1e-5 (relative to the largest component) in float32, for every loss
 * aggregation, with a KL term, and for LoRA adapters; so does activation checkpointing.
 */
class MicroBatchGradientTest {
    static final List<int[]> PROMPTS = List.of(new int[] {3, 9, 14}, new int[] {7, 2}, new int[] {3, 9, 14}, new int[] {7, 2},
            new int[] {1, 4, 4, 19, 6}, new int[] {1, 4, 4, 19, 6});
    static final List<int[]> COMPLETIONS = List.of(new int[] {5, 11, 30, 2}, new int[] {8, 8}, new int[] {40, 1, 17},
            new int[] {22, 6, 6, 50, 12, 3, 3}, new int[] {9}, new int[] {13, 27, 2});
    static final double[] ADVANTAGES = {1.2, -0.7, 1.4, -0.9, 0.3, -1.3};

    /** Keeps the gradient it is handed and applies nothing. */
    static final class GradientOnly implements Optimizer {
        final Map<String, NDArray> parameters;
        Map<String, float[]> gradient;

        GradientOnly(Map<String, NDArray> parameters) {
            this.parameters = parameters;
        }

        @Override
        public void step(double lr) {
            gradient = new LinkedHashMap<>();
            parameters.forEach((name, p) -> gradient.put(name, p.getGradient().toFloatArray()));
            Autograd.zeroGradients(parameters.values());
        }

        @Override
        public int stepCount() {
            return 0;
        }
    }

    static Map<String, float[]> gradient(CausalLM policy, CausalLM reference, LossType lossType, double beta,
                                         int microBatch) {
        return gradient(policy, reference, lossType, beta, microBatch, false);
    }

    static Map<String, float[]> gradient(CausalLM policy, CausalLM reference, LossType lossType, double beta,
                                         int microBatch, boolean checkpointing) {
        GradientOnly optimizer = new GradientOnly(policy.trainableParameters());
        GrpoSettings settings = new GrpoSettings(0.2, 0.28, beta, lossType, GrpoSettings.ScaleRewards.GROUP,
                GrpoSettings.ImportanceSamplingLevel.TOKEN, 8);
        int rows = PROMPTS.size();
        GrpoUpdate update = new GrpoUpdate(policy, reference, optimizer, settings, 0.9,
                new GrpoUpdate.Batching(microBatch, (rows + microBatch - 1) / microBatch, 0.0, checkpointing));
        GrpoUpdate.Stats stats = update.apply(ScoredBatch.ofSequences(PROMPTS, COMPLETIONS, ADVANTAGES), 1, n -> 1e-3);
        assertEquals(1, stats.optimizerSteps());
        return optimizer.gradient;
    }

    static void assertSame(Map<String, float[]> whole, Map<String, float[]> perRow, String what) {
        double largest = 0;
        for (float[] g : whole.values()) {
            for (float v : g) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        assertTrue(largest > 1e-3, what + ": the gradient is not trivially zero");
        double worst = 0;
        for (Map.Entry<String, float[]> e : whole.entrySet()) {
            float[] other = perRow.get(e.getKey());
            for (int i = 0; i < other.length; i++) {
                worst = Math.max(worst, Math.abs(e.getValue()[i] - other[i]));
            }
        }
        assertTrue(worst <= 1e-5 * largest, what + ": largest difference " + worst + " against a largest component " + largest);
    }

    @ParameterizedTest
    @CsvSource({"GRPO, 0", "DAPO, 0", "DR_GRPO, 0", "DAPO, 0.04"})
    void microBatchOfOneEqualsTheWholeBatch(LossType lossType, double beta) {
        ModelConfig config = TinyModels.qwen2();
        try (CausalLM policy = TinyModels.sharpModel(config, 21, DataType.FLOAT32);
             CausalLM reference = TinyModels.sharpModel(config, 22, DataType.FLOAT32)) {
            CausalLM ref = beta > 0 ? reference : null;
            assertSame(gradient(policy, ref, lossType, beta, PROMPTS.size()), gradient(policy, ref, lossType, beta, 1),
                    lossType + " beta " + beta);
        }
    }

    @ParameterizedTest
    @CsvSource({"GRPO, 0", "DAPO, 0.04"})
    void activationCheckpointingGivesTheSameGradient(LossType lossType, double beta) {
        ModelConfig config = TinyModels.qwen2();
        try (CausalLM policy = TinyModels.sharpModel(config, 21, DataType.FLOAT32);
             CausalLM reference = TinyModels.sharpModel(config, 22, DataType.FLOAT32)) {
            CausalLM ref = beta > 0 ? reference : null;
            Map<String, float[]> plain = gradient(policy, ref, lossType, beta, 2, false);
            assertSame(plain, gradient(policy, ref, lossType, beta, 2, true), "checkpointed, " + lossType);
            assertSame(plain, gradient(policy, ref, lossType, beta, PROMPTS.size(), true), "checkpointed, one micro-batch");
        }
    }

    @ParameterizedTest
    @CsvSource({"DAPO, 0.04"})
    void andForLoraAdapters(LossType lossType, double beta) {
        ModelConfig config = TinyModels.qwen2();
        LoraConfig lora = new LoraConfig(4, 16, 0, List.of(LoraConfig.ALL_LINEAR));
        try (CausalLM policy = TinyModels.sharpModel(config, 21, DataType.FLOAT32)
                .withAdapters(LoraAdapters.create(lora, config, 3, Device.cpu()))) {
            for (NDArray b : policy.trainableParameters().values()) { // B off zero, so A has a gradient too
                b.addi(0.01);
            }
            Map<String, float[]> whole = gradient(policy, policy.base(), lossType, beta, PROMPTS.size());
            assertSame(whole, gradient(policy, policy.base(), lossType, beta, 1), "LoRA");
            assertSame(whole, gradient(policy, policy.base(), lossType, beta, 2, true), "LoRA, checkpointed");
        }
    }
}
