package io.zero4j.model.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Constants;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ParameterLayout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The adapter tensors of a {@link LoraConfig} over one model: for each adapted weight {@code W [out, in]},
 * {@code A [r, in]} and {@code B [out, r]}, so the adapted projection is {@code x W^T + (alpha / r) (x A^T) B^T}.
 * Initialised as PEFT does: A Kaiming-uniform (bound {@code 1 / sqrt(in)}), B zero, so a fresh adapter
 * changes nothing. Parameter names are the Hugging Face weight's module path with {@code lora_A.weight}
 * or {@code lora_B.weight}, e.g. {@code model.layers.0.self_attn.q_proj.lora_A.weight} (PEFT's file
 * adds {@code base_model.model.} in front, see {@link PeftAdapterFolder}). Owns its manager.
 */
public final class LoraAdapters implements AutoCloseable {
    /** One adapted weight's pair. */
    public record Adapter(NDArray a, NDArray b) {
    }

    private final LoraConfig config;
    private final NDManager manager;
    private final Map<String, Adapter> byWeight;
    private final Map<String, NDArray> parameters;
    private final NDArray scaling;
    private volatile boolean training;

    LoraAdapters(LoraConfig config, NDManager manager, Map<String, Adapter> byWeight) {
        this.config = config;
        this.manager = manager;
        this.scaling = Constants.scalar(manager, config.scaling());
        this.byWeight = Collections.unmodifiableMap(byWeight);
        Map<String, NDArray> p = new LinkedHashMap<>();
        byWeight.forEach((weight, adapter) -> {
            p.put(parameterName(weight, "lora_A"), adapter.a());
            p.put(parameterName(weight, "lora_B"), adapter.b());
        });
        this.parameters = Collections.unmodifiableMap(p);
    }

    /** Fresh adapters for every targeted weight of {@code model}, A drawn from {@code seed}. */
    public static LoraAdapters create(LoraConfig config, ModelConfig model, long seed, Device device) {
        Random random = new Random(seed);
        NDManager manager = NDManager.newBaseManager(device);
        Map<String, Adapter> out = new LinkedHashMap<>();
        Map<String, long[]> shapes = ParameterLayout.shapes(model);
        for (String weight : targetWeights(config, model)) {
            long[] shape = shapes.get(weight);
            int rows = Math.toIntExact(shape[0]);
            int cols = Math.toIntExact(shape[1]);
            float[] a = new float[config.r() * cols];
            double bound = 1.0 / Math.sqrt(cols);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            out.put(weight, new Adapter(manager.create(a, new Shape(config.r(), cols)),
                    manager.zeros(new Shape(rows, config.r()))));
        }
        return new LoraAdapters(config, manager, out);
    }

    /** Hugging Face weight names the config adapts, in checkpoint order. */
    static java.util.List<String> targetWeights(LoraConfig config, ModelConfig model) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (String module : config.modules()) {
                out.add(ParameterLayout.layer(layer, LoraConfig.MODULES.get(module)));
            }
        }
        return out;
    }

    /** {@code model.layers.0.self_attn.q_proj.weight} + {@code lora_A} -> {@code model.layers.0.self_attn.q_proj.lora_A.weight}. */
    static String parameterName(String weight, String part) {
        return weight.substring(0, weight.length() - ".weight".length()) + "." + part + ".weight";
    }

    public LoraConfig config() {
        return config;
    }

    /** The adapter of a Hugging Face weight name, or null when it has none. */
    public Adapter of(String weight) {
        return byWeight.get(weight);
    }

    /** Adapted weight names to their pair, in checkpoint order. */
    public Map<String, Adapter> byWeight() {
        return byWeight;
    }

    /** The trainable tensors by name ({@code ...lora_A.weight}, {@code ...lora_B.weight}). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** {@code alpha / r} as a 0-d array in libtorch's memory, for passes that record gradients ({@link Constants}). */
    public NDArray scalingArray() {
        return scaling;
    }

    /** Whether dropout applies (set while the adapters train). */
    public boolean training() {
        return training;
    }

    public void setTraining(boolean training) {
        this.training = training;
        parameters.values().forEach(p -> p.setRequiresGradient(training));
    }

    /**
     * {@code W + (alpha / r) B A} for an adapted weight, {@code W} itself otherwise; a new array in
     * {@code W}'s manager when merged (the caller frees it).
     */
    public NDArray merged(String weight, NDArray w) {
        Adapter adapter = byWeight.get(weight);
        if (adapter == null) {
            return w;
        }
        try (NDScope ignored = new NDScope()) {
            NDArray merged = w.add(adapter.b().matMul(adapter.a()).mul(config.scaling()).toType(w.getDataType(), false));
            NDScope.unregister(merged);
            merged.attach(w.getManager());
            return merged;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
