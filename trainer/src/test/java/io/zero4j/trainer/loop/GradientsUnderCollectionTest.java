package io.zero4j.trainer.loop;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.lora.LoraAdapters;
import io.zero4j.model.lora.LoraConfig;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.trainer.grpo.GrpoSettings.LossType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A GRPO gradient is the same while the garbage collector runs as on a quiet heap: full fine-tuning
 * and LoRA, a KL term, a sampling temperature, one micro-batch per row (so every backward pass waits
 * on others), plain and checkpointed. DJL's number-argument ops let the Java memory of the scalar
 * they make be collected while autograd still reads it ({@code io.zero4j.model.Constants}); before
 * the model and the loss stopped using them, a collector thread here broke every gradient (20 of 20
 * runs, 2026-12-04), and without one about 1 run in 50 under load failed other tests in CI.
 */
class GradientsUnderCollectionTest {
    @Test
    void gradientsDoNotDependOnWhenTheCollectorRuns() throws Exception {
        ModelConfig config = TinyModels.qwen2();
        LoraConfig lora = new LoraConfig(4, 16, 0, List.of(LoraConfig.ALL_LINEAR));
        try (CausalLM full = TinyModels.sharpModel(config, 21, DataType.FLOAT32);
             CausalLM reference = TinyModels.sharpModel(config, 22, DataType.FLOAT32);
             CausalLM adapted = TinyModels.sharpModel(config, 21, DataType.FLOAT32)
                     .withAdapters(LoraAdapters.create(lora, config, 3, Device.cpu()))) {
            for (NDArray b : adapted.trainableParameters().values()) {
                b.addi(0.01);
            }
            Map<String, float[]> quietFull = MicroBatchGradientTest.gradient(full, reference, LossType.DAPO, 0.04, 1);
            Map<String, float[]> quietLora = MicroBatchGradientTest.gradient(adapted, adapted.base(), LossType.GRPO, 0.04, 1);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread collector = new Thread(() -> {
                while (running.get()) {
                    System.gc();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "collector");
            collector.setDaemon(true);
            collector.start();
            try {
                for (int round = 0; round < 1; round++) {
                    MicroBatchGradientTest.assertSame(quietFull, MicroBatchGradientTest.gradient(full, reference, LossType.DAPO,
                            0.04, 1), "full fine-tuning while collecting, round " + round);
                    MicroBatchGradientTest.assertSame(quietLora, MicroBatchGradientTest.gradient(adapted, adapted.base(),
                            LossType.GRPO, 0.04, 1), "LoRA while collecting, round " + round);
                    MicroBatchGradientTest.assertSame(quietFull, MicroBatchGradientTest.gradient(full, reference, LossType.DAPO,
                            0.04, 2, true), "checkpointed while collecting, round " + round);
                }
            } finally {
                running.set(false);
                collector.join();
            }
        }
    }
}
