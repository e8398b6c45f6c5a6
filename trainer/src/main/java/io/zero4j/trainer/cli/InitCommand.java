package io.zero4j.trainer.cli;

import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import io.zero4j.model.UserInputException;
import io.zero4j.model.safetensors.DType;
import io.zero4j.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./zero4j init --out DIR [--preset toy|qwen2.5-0.5b] [--seed S] [--tokenizer DIR]}: a
 * Hugging Face folder with seeded random weights, for smoke runs and benchmarks.
 */
final class InitCommand {
    private InitCommand() {
    }

    static void run(String[] argv, PrintStream out) {
        Args args = new Args("init", argv, Set.of("out", "preset", "seed", "tokenizer", "dtype"), Set.of());
        Path outDir = Path.of(args.required("out"));
        String preset = args.string("preset", "toy");
        ModelConfig config = ModelPresets.byName(preset);
        DType dtype = parseDtype(args.string("dtype", "F32"));
        try {
            Files.createDirectories(outDir);
            Path tokenizerDir = null;
            if (preset.equals("toy")) {
                ModelPresets.toyTokenizer().writeTo(outDir);
            } else {
                tokenizerDir = Path.of(args.required("tokenizer"));
                try (TextTokenizer t = TextTokenizer.load(tokenizerDir)) {
                    if (t.vocabSize() > config.vocabSize()) {
                        throw new UserInputException("init: --tokenizer " + tokenizerDir + " has " + t.vocabSize()
                                + " tokens, more than the preset's vocabulary of " + config.vocabSize());
                    }
                }
            }
            try (CausalLM model = RandomInit.create(config, args.longValue("seed", 0), Devices.host(), DataType.FLOAT32)) {
                ModelExporter.export(model, tokenizerDir, outDir, dtype, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.printf("wrote %s: %s preset, %,d parameters, random weights%n", outDir, preset, config.parameterCount());
    }

    static DType parseDtype(String s) {
        try {
            DType d = DType.valueOf(s.toUpperCase());
            if (d.isFloatWeight()) {
                return d;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through to the error
        }
        throw new UserInputException("--dtype '" + s + "': expected F32, F16 or BF16");
    }
}
