package io.zero4j.model.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.Architecture;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.RandomInit;
import io.zero4j.model.RopeScaling;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny configs of each family, and random models whose every weight (norms and biases too) matters. */
public final class TinyModels {
    private TinyModels() {
    }

    /** Llama with Llama 3 RoPE scaling and biases on all four projections. */
    public static ModelConfig llama() {
        ModelConfig base = ModelConfig.of(Architecture.LLAMA, 32, 64, 2, 4, 2, 61, false, 128)
                .withRopeScaling(new RopeScaling(8.0, 1.0, 4.0, 16));
        return new ModelConfig(base.architecture(), 32, 64, 2, 4, 2, 8, 1e-5, 500_000.0, base.ropeScaling(), 61,
                false, true, true, false, 128, 1, List.of(60));
    }

    /** Qwen2: q/k/v bias, tied embeddings, GQA 4:1. */
    public static ModelConfig qwen2() {
        return ModelConfig.of(Architecture.QWEN2, 32, 48, 2, 4, 1, 61, true, 128);
    }

    /** Qwen3: q/k RMSNorm, head_dim larger than hidden/heads. */
    public static ModelConfig qwen3() {
        return ModelConfig.of(Architecture.QWEN3, 32, 48, 2, 4, 2, 61, false, 128).withHeadDim(16);
    }

    public static List<ModelConfig> allFamilies() {
        return List.of(llama(), qwen2(), qwen3());
    }

    /** A random model where norms are near 1 and biases near 0 but neither exactly. */
    public static CausalLM randomModel(ModelConfig config, long seed, DataType dtype) {
        CausalLM model = RandomInit.create(config, seed, Device.cpu(), dtype);
        SplittableRandom rng = new SplittableRandom(seed + 17);
        model.parameters().forEach((name, p) -> {
            boolean norm = name.endsWith("norm.weight");
            boolean bias = name.endsWith(".bias");
            if (norm || bias) {
                double[] v = new double[(int) p.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (norm ? 1.0 : 0.0) + 0.2 * (rng.nextDouble() - 0.5);
                }
                try (NDArray fresh = p.getManager().create(v, p.getShape()).toType(p.getDataType(), false)) {
                    p.set(new ai.djl.ndarray.index.NDIndex("..."), fresh);
                }
            }
        });
        return model;
    }

    /** Weight matrices of std 0.02 make tiny models nearly uniform; scale them so logits vary. */
    public static CausalLM sharpModel(ModelConfig config, long seed, DataType dtype) {
        CausalLM model = randomModel(config, seed, dtype);
        model.parameters().forEach((name, p) -> {
            if (!name.endsWith("norm.weight") && !name.endsWith(".bias")) {
                p.muli(10);
            }
        });
        return model;
    }
}
