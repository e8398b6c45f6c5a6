package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.SafeTensorsWriter;
import io.zero4j.model.safetensors.WeightFiles;
import io.zero4j.model.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExportReloadTest {
    @TempDir
    Path dir;

    static List<ModelConfig> families() {
        return TinyModels.allFamilies();
    }

    private static float[] logits(CausalLM model) {
        try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            PaddedBatch b = PaddedBatch.rightPadded(List.of(new int[] {1, 5, 9, 30, 2}, new int[] {7, 7}), 0);
            return model.logits(model.forward(b.idsArray(m), b.maskArray(m), b.positionsArray(m), null, 0)).toFloatArray();
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void exportThenReloadGivesIdenticalLogits(ModelConfig config) throws IOException {
        try (CausalLM model = TinyModels.sharpModel(config, 3, DataType.FLOAT32)) {
            ModelExporter.export(model, null, dir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            try (CausalLM reloaded = ModelLoader.load(dir, Device.cpu(), DataType.FLOAT32)) {
                assertEquals(config, reloaded.config());
                assertArrayEquals(logits(model), logits(reloaded), 0f);
            }
            JsonNode json = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
            assertEquals(config.architecture().hfClassName, json.get("architectures").get(0).asText());
            assertTrue(Files.exists(dir.resolve("generation_config.json")));
        }
    }

    @Test
    void bf16AndShardedExportReloadClosely() throws IOException {
        try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 3, DataType.FLOAT32)) {
            ModelExporter.export(model, null, dir, DType.BF16, 4096);
            assertTrue(Files.exists(dir.resolve(WeightFiles.INDEX)));
            try (CausalLM reloaded = ModelLoader.load(dir, Device.cpu(), DataType.FLOAT32)) {
                float[] a = logits(model);
                float[] b = logits(reloaded);
                double scale = 0;
                double err = 0;
                for (int i = 0; i < a.length; i++) {
                    scale = Math.max(scale, Math.abs(a[i]));
                    err = Math.max(err, Math.abs(a[i] - b[i]));
                }
                assertTrue(err / scale < 0.05, "bf16 rounding only: " + err / scale);
                assertTrue(err > 0, "bf16 must round something");
            }
        }
    }

    @Test
    void missingOrMisshapenTensorIsAOneLineError() throws IOException {
        ModelConfig config = TinyModels.qwen3();
        try (CausalLM model = TinyModels.randomModel(config, 1, DataType.FLOAT32)) {
            ModelExporter.export(model, null, dir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
        List<SafeTensorsWriter.Tensor> tensors = new ArrayList<>();
        ParameterLayout.shapes(config).forEach((name, shape) -> {
            if (!name.equals(ParameterLayout.layer(1, "self_attn.k_norm.weight"))) {
                long[] s = name.equals(ParameterLayout.FINAL_NORM) ? new long[] {shape[0] + 1} : shape;
                long n = 1;
                for (long d : s) {
                    n *= d;
                }
                float[] v = new float[(int) n];
                tensors.add(new SafeTensorsWriter.Tensor(name, s, () -> v));
            }
        });
        WeightFiles.write(dir, tensors, DType.F32, 1L << 30);
        UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(dir, Device.cpu(), DataType.FLOAT32));
        assertTrue(e.getMessage().contains("model.layers.1.self_attn.k_norm.weight") && e.getMessage().contains("missing"),
                e.getMessage());
        tensors.add(new SafeTensorsWriter.Tensor(ParameterLayout.layer(1, "self_attn.k_norm.weight"), new long[] {16},
                () -> new float[16]));
        WeightFiles.write(dir, tensors, DType.F32, 1L << 30);
        e = assertThrows(UserInputException.class, () -> ModelLoader.load(dir, Device.cpu(), DataType.FLOAT32));
        assertTrue(e.getMessage().contains("model.norm.weight") && e.getMessage().contains("[33]")
                && e.getMessage().contains("needs [32]"), e.getMessage());
    }

    @Test
    void weightsHoldingNaNOrInfinityAreRefusedAtLoadNamingTheTensor() throws IOException {
        try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 3, DataType.FLOAT32)) {
            model.parameters().get(ParameterLayout.layer(1, "mlp.up_proj.weight")).muli(Float.POSITIVE_INFINITY);
            ModelExporter.export(model, null, dir, DType.F32, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
        UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(dir, Device.cpu(), DataType.FLOAT32));
        assertTrue(e.getMessage().contains("model.layers.1.mlp.up_proj.weight") && e.getMessage().contains("model.safetensors"),
                e.getMessage());
    }
}
