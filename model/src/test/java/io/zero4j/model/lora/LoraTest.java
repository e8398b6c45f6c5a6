package io.zero4j.model.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.PaddedBatch;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.SafeTensorsFile;
import io.zero4j.model.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA adapters: a no-op when fresh, equal to the merged weights, PEFT's folder and names, gradients only to A and B. */
class LoraTest {
    private static final LoraConfig ALL = new LoraConfig(4, 8, 0, List.of(LoraConfig.ALL_LINEAR));

    @TempDir
    Path dir;

    private static float[] logits(CausalLM model) {
        try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            PaddedBatch b = PaddedBatch.rightPadded(List.of(new int[] {1, 5, 9, 30, 2}, new int[] {7, 7}), 0);
            return model.logits(model.forward(b.idsArray(m), b.maskArray(m), b.positionsArray(m), null, 0)).toFloatArray();
        }
    }

    /** Moves every B off zero, so the adapters change the output. */
    private static void perturb(LoraAdapters adapters) {
        int i = 0;
        for (LoraAdapters.Adapter a : adapters.byWeight().values()) {
            NDArray b = a.b();
            try (NDArray noise = b.getManager().randomNormal(0, 0.05f, b.getShape(), DataType.FLOAT32)) {
                b.addi(noise.add(0.001 * ++i));
            }
        }
    }

    @Test
    void freshAdaptersChangeNothingAndTheMergedModelEqualsTheAdaptedOne() throws IOException {
        ModelConfig config = TinyModels.qwen2();
        try (CausalLM base = TinyModels.sharpModel(config, 3, DataType.FLOAT32)) {
            float[] plain = logits(base);
            Path merged = dir.resolve("merged");
            try (CausalLM adapted = TinyModels.sharpModel(config, 3, DataType.FLOAT32)
                    .withAdapters(LoraAdapters.create(ALL, config, 7, Device.cpu()))) {
                assertArrayEquals(plain, logits(adapted), 0f, "B starts at zero");
                assertEquals(7 * 2 * config.numLayers(), adapted.trainableParameters().size());
                perturb(adapted.adapters());
                float[] withAdapters = logits(adapted);
                assertNotEquals(plain[3], withAdapters[3]);
                assertArrayEquals(plain, logits(adapted.base()), 0f, "the base view ignores the adapters");
                ModelExporter.export(adapted, null, merged, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
                try (CausalLM reloaded = ModelLoader.load(merged, Device.cpu(), DataType.FLOAT32)) {
                    assertArrayEquals(withAdapters, logits(reloaded), 1e-4f);
                }
            }
        }
    }

    @Test
    void peftFolderHasPeftsNamesAndReloadsOnItsBase() throws IOException {
        ModelConfig config = TinyModels.llama();
        Path baseDir = dir.resolve("base");
        Path adapterDir = dir.resolve("adapter");
        LoraConfig qv = new LoraConfig(2, 16, 0.1, List.of("q_proj", "v_proj"));
        try (CausalLM adapted = TinyModels.sharpModel(config, 5, DataType.FLOAT32)
                .withAdapters(LoraAdapters.create(qv, config, 1, Device.cpu()))) {
            ModelExporter.export(adapted.base(), null, baseDir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            perturb(adapted.adapters());
            PeftAdapterFolder.write(adapted.adapters(), baseDir.toAbsolutePath().toString(), adapterDir, DType.F32);
            float[] expected = logits(adapted);

            JsonNode c = new ObjectMapper().readTree(adapterDir.resolve("adapter_config.json").toFile());
            assertEquals("LORA", c.get("peft_type").asText());
            assertEquals("CAUSAL_LM", c.get("task_type").asText());
            assertEquals(2, c.get("r").asInt());
            assertEquals(16.0, c.get("lora_alpha").asDouble());
            assertEquals("[\"q_proj\",\"v_proj\"]", c.get("target_modules").toString());
            try (SafeTensorsFile f = SafeTensorsFile.open(adapterDir.resolve("adapter_model.safetensors"))) {
                Set<String> names = f.tensors().keySet();
                assertEquals(4 * config.numLayers(), names.size());
                assertTrue(names.contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"), names.toString());
                assertTrue(names.contains("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"), names.toString());
                assertArrayEquals(new long[] {2, config.hiddenSize()},
                        f.tensors().get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape());
            }
            try (CausalLM reloaded = ModelLoader.load(adapterDir, Device.cpu(), DataType.FLOAT32)) {
                assertEquals(qv, reloaded.adapters().config());
                assertArrayEquals(expected, logits(reloaded), 0f);
            }
        }
        Files.writeString(adapterDir.resolve("adapter_config.json"),
                Files.readString(adapterDir.resolve("adapter_config.json")).replace(baseDir.toAbsolutePath().toString(), "/nowhere"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> ModelLoader.load(adapterDir, Device.cpu(), DataType.FLOAT32));
        assertTrue(e.getMessage().contains("base_model_name_or_path"), e.getMessage());
    }

    @Test
    void onlyTheAdaptersGetGradients() {
        ModelConfig config = TinyModels.qwen2();
        try (CausalLM adapted = TinyModels.sharpModel(config, 3, DataType.FLOAT32)
                .withAdapters(LoraAdapters.create(ALL, config, 7, Device.cpu()));
             NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            adapted.setTrainable(true);
            PaddedBatch b = PaddedBatch.rightPadded(List.of(new int[] {1, 5, 9, 30, 2}), 0);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray hidden = adapted.forward(b.idsArray(m), b.maskArray(m), b.positionsArray(m), null, 0);
                collector.backward(adapted.logits(hidden).square().mean());
            }
            for (NDArray w : adapted.parameters().values()) {
                assertFalse(w.hasGradient(), "base weights are frozen");
            }
            NDArray gradA = adapted.trainableParameters().get("model.layers.0.mlp.down_proj.lora_A.weight").getGradient();
            NDArray gradB = adapted.trainableParameters().get("model.layers.0.mlp.down_proj.lora_B.weight").getGradient();
            assertEquals(0.0, gradA.abs().sum().getFloat(), 0.0, "with B = 0, A's gradient is 0");
            assertTrue(gradB.abs().sum().getFloat() > 0, "B's is not");
            adapted.setTrainable(false);
        }
    }

    @Test
    void badConfigsNameTheField() {
        LoraConfig.Problem p = new LoraConfig(8, 8, 0, List.of("qproj")).problem();
        assertEquals("target_modules", p.field());
        assertTrue(p.expected().startsWith("'qproj' is not one of [q_proj, k_proj"), p.expected());
        assertEquals("r", new LoraConfig(-1, 8, 0, List.of("q_proj")).problem().field());
        assertEquals("alpha", new LoraConfig(8, 0, 0, List.of("q_proj")).problem().field());
        assertEquals("dropout", new LoraConfig(8, 8, 1, List.of("q_proj")).problem().field());
        assertEquals(null, ALL.problem());
        assertEquals(LoraConfig.MODULES.keySet().stream().toList(), ALL.modules());
    }
}
