package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.SafeTensorsWriter;
import io.zero4j.model.safetensors.WeightFiles;
import io.zero4j.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a Hugging Face model folder that transformers and vLLM load as it is: {@code config.json},
 * {@code generation_config.json}, {@code model.safetensors} (sharded with an index above
 * {@code maxShardBytes}), and the tokenizer files copied from the source folder. A model with LoRA
 * adapters is written merged ({@code W + (alpha / r) B A}).
 */
public final class ModelExporter {
    /** transformers' own default shard size. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5L * 1000 * 1000 * 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelExporter() {
    }

    public static void export(CausalLM model, Path tokenizerDir, Path outDir, DType dtype, long maxShardBytes)
            throws IOException {
        Files.createDirectories(outDir);
        ModelConfig config = model.config();
        List<SafeTensorsWriter.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            String name = e.getKey();
            tensors.add(new SafeTensorsWriter.Tensor(name, e.getValue().getShape().getShape(), () -> exported(model, name)));
        }
        WeightFiles.write(outDir, tensors, dtype, maxShardBytes);
        writeJson(outDir.resolve(ModelLoader.CONFIG_JSON), config.toJson(dtype.torchName()));
        writeJson(outDir.resolve(TextTokenizer.GENERATION_CONFIG), generationConfig(config));
        if (tokenizerDir != null && !tokenizerDir.toAbsolutePath().normalize().equals(outDir.toAbsolutePath().normalize())) {
            TextTokenizer.copyFiles(tokenizerDir, outDir);
        }
    }

    /** The weight with its adapter merged in (one tensor at a time, so a merge never holds a second model). */
    private static float[] exported(CausalLM model, String name) {
        NDArray w = model.exportedWeight(name);
        try {
            return floats(w);
        } finally {
            if (w != model.parameters().get(name)) {
                w.close();
            }
        }
    }

    private static float[] floats(NDArray p) {
        if (p.getDataType() == DataType.FLOAT32) {
            return p.toFloatArray();
        }
        try (NDArray f = p.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    static ObjectNode generationConfig(ModelConfig config) {
        ObjectNode g = JSON.createObjectNode();
        if (config.bosTokenId() != null) {
            g.put("bos_token_id", config.bosTokenId());
        }
        ArrayNode eos = g.putArray("eos_token_id");
        config.eosTokenIds().forEach(eos::add);
        return g;
    }

    public static void writeJson(Path file, Object value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
