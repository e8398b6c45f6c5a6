package io.zero4j.model;

import io.zero4j.model.tokenizer.ByteLevelTokenizerBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Named shapes for random-weight models: the built-in toy (about 4M parameters, a byte-level
 * tokenizer of our own) and Qwen2.5-0.5B's shape, used by benchmarks and smoke runs.
 */
public final class ModelPresets {
    public static final String EOS = "<|endoftext|>";
    public static final List<String> TOY_SPECIAL_TOKENS = List.of(EOS, "<think>", "</think>", "<answer>", "</answer>");

    private ModelPresets() {
    }

    /** The toy's tokenizer: bytes plus R1-Zero's tags as single tokens. */
    public static ByteLevelTokenizerBuilder toyTokenizer() {
        ByteLevelTokenizerBuilder b = new ByteLevelTokenizerBuilder().eos(EOS);
        TOY_SPECIAL_TOKENS.forEach(t -> {
            if (!t.equals(EOS)) {
                b.special(t);
            }
        });
        return b;
    }

    /** About 4.3M parameters: hidden 256, 6 layers, 4 heads (2 KV), intermediate 640, tied. */
    public static ModelConfig toy() {
        ByteLevelTokenizerBuilder tok = toyTokenizer();
        return ModelConfig.of(Architecture.QWEN2, 256, 640, 6, 4, 2, tok.vocabSize(), true, 2048)
                .withEos(List.of(tok.specialId(EOS)), null);
    }

    /** Qwen2.5-0.5B's published shape (494M parameters), for random-weight benchmarks. */
    public static ModelConfig qwen25HalfBillion() {
        return ModelConfig.of(Architecture.QWEN2, 896, 4864, 24, 14, 2, 151_936, true, 32_768)
                .withEos(List.of(151_643), 151_643);
    }

    /** Qwen2.5-1.5B's published shape (1.54B parameters), for random-weight benchmarks. */
    public static ModelConfig qwen25OnePointFiveBillion() {
        return ModelConfig.of(Architecture.QWEN2, 1536, 8960, 28, 12, 2, 151_936, true, 131_072)
                .withEos(List.of(151_643), 151_643);
    }

    /** The preset of the built-in toy, which brings its own tokenizer. */
    public static final String TOY = "toy";
    /** Presets by the name users type. */
    public static final Map<String, Supplier<ModelConfig>> PRESETS = Map.of(TOY, ModelPresets::toy,
            "qwen2.5-0.5b", ModelPresets::qwen25HalfBillion, "qwen2.5-1.5b", ModelPresets::qwen25OnePointFiveBillion);

    public static ModelConfig byName(String name) {
        Supplier<ModelConfig> preset = PRESETS.get(name);
        if (preset == null) {
            throw new UserInputException("preset '" + name + "' is not known, expected one of " + new TreeSet<>(PRESETS.keySet()));
        }
        return preset.get();
    }
}
