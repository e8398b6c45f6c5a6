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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./zero4j init}: a Hugging Face folder with seeded random weights, for smoke runs and benchmarks. */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Write a model folder with seeded random weights.")
final class InitCommand implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    private Path outDir;
    @Option(names = "--preset", paramLabel = "NAME", completionCandidates = PresetNames.class,
            description = "one of ${COMPLETION-CANDIDATES}")
    private String preset = ModelPresets.TOY;
    @Option(names = "--seed", paramLabel = "S")
    private long seed;
    @Option(names = "--tokenizer", paramLabel = "DIR", description = "a tokenizer folder (required but for the toy)")
    private Path tokenizer;
    @Mixin
    private SharedOptions.DtypeOption dtype = new SharedOptions.DtypeOption();

    /** The preset names, for the help text. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return new java.util.TreeSet<>(ModelPresets.PRESETS.keySet()).iterator();
        }
    }

    InitCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        ModelConfig config = ModelPresets.byName(preset);
        DType weights = dtype.parse();
        try {
            Files.createDirectories(outDir);
            Path tokenizerDir = null;
            if (preset.equals(ModelPresets.TOY)) {
                ModelPresets.toyTokenizer().writeTo(outDir);
            } else {
                if (tokenizer == null) {
                    throw new UserInputException("init: --tokenizer DIR is required for preset " + preset);
                }
                tokenizerDir = tokenizer;
                try (TextTokenizer t = TextTokenizer.load(tokenizerDir)) {
                    if (t.vocabSize() > config.vocabSize()) {
                        throw new UserInputException("init: --tokenizer " + tokenizerDir + " has " + t.vocabSize()
                                + " tokens, more than the preset's vocabulary of " + config.vocabSize());
                    }
                }
            }
            try (CausalLM model = RandomInit.create(config, seed, Devices.host(), DataType.FLOAT32)) {
                ModelExporter.export(model, tokenizerDir, outDir, weights, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.printf("wrote %s: %s preset, %,d parameters, random weights%n", outDir, preset, config.parameterCount());
        return 0;
    }
}
