package io.zero4j.trainer.cli;

import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
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

/** {@code ./zero4j export}: a checkpoint (or a run folder's newest) as a Hugging Face folder, with {@code zero4j.json}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "A checkpoint, or a run folder's newest, as a Hugging Face folder for transformers or vLLM.")
final class ExportCommand implements Callable<Integer> {
    private final PrintStream out;

    @Parameters(index = "0", paramLabel = "CHECKPOINT|RUN_DIR")
    private Path source;
    @Parameters(index = "1", paramLabel = "OUT_DIR")
    private Path target;
    @Mixin
    private SharedOptions.DtypeOption dtype = new SharedOptions.DtypeOption();

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
        try (CausalLM model = ModelLoader.load(checkpoint, Devices.host(), DataType.FLOAT32)) {
            ModelExporter.export(model, checkpoint, target, d, ModelExporter.DEFAULT_MAX_SHARD_BYTES);
        }
        Path runConfig = checkpoint.resolve(Checkpoints.RUN_CONFIG);
        if (Files.exists(runConfig)) {
            Files.copy(runConfig, target.resolve(Checkpoints.RUN_CONFIG), StandardCopyOption.REPLACE_EXISTING);
        }
        out.println("exported " + checkpoint + " to " + target);
        return 0;
    }
}
