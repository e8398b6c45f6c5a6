package io.zero4j.trainer.cli;

import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.model.lora.PeftAdapterFolder;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.model.safetensors.DType;
import io.zero4j.trainer.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./zero4j export}: a checkpoint (or a run folder's newest) as a Hugging Face folder, with
 * {@code zero4j.json}; a LoRA run's adapters merged into the base, or with {@code --adapter} as a PEFT
 * adapter folder.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"A checkpoint, or a run folder's newest, as a Hugging Face folder for transformers or vLLM.",
            "A LoRA run's adapters are merged into the base model, or written as a PEFT adapter folder with --adapter."})
final class ExportCommand implements Callable<Integer> {
    private final PrintStream out;

    @Parameters(index = "0", paramLabel = "CHECKPOINT|RUN_DIR")
    private Path source;
    @Parameters(index = "1", paramLabel = "OUT_DIR")
    private Path target;
    @Mixin
    private SharedOptions.DtypeOption dtype = new SharedOptions.DtypeOption();
    @Option(names = "--adapter", description = "write the LoRA adapter for PEFT (adapter_config.json, adapter_model.safetensors)")
    private boolean adapter;

    ExportCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        DType d = dtype.parse();
        Path checkpoint = Files.isDirectory(source.resolve("checkpoints"))
                ? Checkpoints.latest(source).orElseThrow(() -> new UserInputException(
                        "export: " + source + " holds no complete checkpoint"))
                : source;
        boolean lora = PeftAdapterFolder.isAdapterFolder(checkpoint);
        if (adapter && !lora) {
            throw new UserInputException("export: " + checkpoint + " holds a full model, not LoRA adapters (the run had no"
                    + " model.lora); export it without --adapter");
        }
        try (CausalLM model = ModelLoader.load(checkpoint, Devices.host(), DataType.FLOAT32)) {
            if (adapter) {
                PeftAdapterFolder.write(model.adapters(), ModelLoader.adapterBase(checkpoint).toString(), target, d);
                TextTokenizer.copyFiles(checkpoint, target);
            } else {
                ModelExporter.export(model, checkpoint, target, d, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            }
        }
        Path runConfig = checkpoint.resolve(Checkpoints.RUN_CONFIG);
        if (Files.exists(runConfig)) {
            Files.copy(runConfig, target.resolve(Checkpoints.RUN_CONFIG), StandardCopyOption.REPLACE_EXISTING);
        }
        out.println("exported " + checkpoint + " to " + target + (adapter ? " (PEFT adapter)" : lora ? " (adapters merged)" : ""));
        return 0;
    }
}
