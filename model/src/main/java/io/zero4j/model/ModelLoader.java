package io.zero4j.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.lora.PeftAdapterFolder;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.safetensors.TensorInfo;
import io.zero4j.model.safetensors.WeightFiles;
import io.zero4j.model.tokenizer.TextTokenizer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a Hugging Face model folder ({@code config.json} + safetensors) into a {@link CausalLM}.
 * Every tensor the config needs is checked for presence and shape before any is read; weights are
 * widened to float32 (or the requested compute type) tensor by tensor, and a NaN or infinity in
 * any of them is refused (such a model only samples garbage).
 */
public final class ModelLoader {
    public static final String CONFIG_JSON = "config.json";

    private ModelLoader() {
    }

    public static ModelConfig readConfig(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException(dir + ": model folder does not exist");
        }
        Path file = dir.resolve(CONFIG_JSON);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(dir + ": no " + CONFIG_JSON + " in the model folder");
        }
        return ModelConfig.read(file);
    }

    /**
     * Everything that can be checked without reading the weights: the config, every tensor's
     * presence, shape and dtype, and the tokenizer (it loads, and its ids fit the vocabulary).
     */
    public static ModelConfig check(Path dir) {
        ModelConfig config = readConfig(dir);
        try (WeightFiles weights = WeightFiles.open(dir)) {
            validate(dir, config, weights, ParameterLayout.shapes(config));
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw new UserInputException(dir.resolve(TextTokenizer.TOKENIZER_JSON) + ": the tokenizer has "
                        + tokenizer.vocabSize() + " ids, more than the " + config.vocabSize() + " of " + CONFIG_JSON
                        + "'s vocab_size");
            }
        }
        return config;
    }

    /**
     * A model folder, or a LoRA adapter folder ({@link PeftAdapterFolder}: a run's LoRA checkpoint, or
     * PEFT's) on the base model its {@code base_model_name_or_path} names.
     */
    public static CausalLM load(Path dir, Device device, DataType dtype) {
        if (PeftAdapterFolder.isAdapterFolder(dir) && !Files.isRegularFile(dir.resolve(CONFIG_JSON))) {
            Path baseDir = adapterBase(dir);
            CausalLM base = load(baseDir, device, dtype);
            try {
                return base.withAdapters(PeftAdapterFolder.read(dir, base.config(), device));
            } catch (RuntimeException e) {
                base.close();
                throw e;
            }
        }
        ModelConfig config = readConfig(dir);
        try (WeightFiles weights = WeightFiles.open(dir)) {
            Map<String, long[]> expected = ParameterLayout.shapes(config);
            validate(dir, config, weights, expected);
            NDManager manager = NDManager.newBaseManager(device);
            try {
                Map<String, NDArray> params = new LinkedHashMap<>();
                for (Map.Entry<String, long[]> e : expected.entrySet()) {
                    FloatBuffer values = weights.readFloats(e.getKey());
                    requireFinite(weights, e.getKey(), values);
                    NDArray a = manager.create(values, new Shape(e.getValue()));
                    params.put(e.getKey(), dtype == DataType.FLOAT32 ? a : a.toType(dtype, false));
                }
                return new CausalLM(config, params, manager);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }

    /** The base model folder an adapter folder names. */
    public static Path adapterBase(Path adapterDir) {
        String named = PeftAdapterFolder.readHeader(adapterDir).baseModel();
        Path base = named == null ? null : Path.of(named);
        if (base == null || !Files.isRegularFile(base.resolve(CONFIG_JSON))) {
            throw new UserInputException(adapterDir.resolve(PeftAdapterFolder.CONFIG) + ": field 'base_model_name_or_path': "
                    + (named == null ? "missing" : "'" + named + "' is not a model folder here")
                    + "; the adapter needs its base model's folder");
        }
        return base;
    }

    private static void requireFinite(WeightFiles weights, String name, FloatBuffer values) {
        for (int i = values.position(); i < values.limit(); i++) {
            if (!Float.isFinite(values.get(i))) {
                throw new UserInputException(weights.fileOf(name) + ": tensor '" + name + "' holds " + values.get(i)
                        + " at element " + (i - values.position()) + "; the weights are broken");
            }
        }
    }

    /** Every tensor the config needs is present with the shape the config implies. */
    static void validate(Path dir, ModelConfig config, WeightFiles weights, Map<String, long[]> expected) {
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            TensorInfo info = weights.info(e.getKey());
            if (info == null) {
                throw new UserInputException(dir + ": tensor '" + e.getKey() + "' is missing from the weights but "
                        + CONFIG_JSON + " (" + config.architecture().hfClassName + ") needs it");
            }
            if (!Arrays.equals(info.shape(), e.getValue())) {
                throw new UserInputException(weights.fileOf(e.getKey()) + ": tensor '" + e.getKey() + "' has shape "
                        + info.shapeString() + " but " + CONFIG_JSON + " needs " + Arrays.toString(e.getValue()));
            }
            if (!info.dtype().isFloatWeight()) {
                throw new UserInputException(weights.fileOf(e.getKey()) + ": tensor '" + e.getKey() + "' has dtype "
                        + info.dtype() + ", expected " + DType.FLOAT_WEIGHTS);
            }
        }
    }
}
