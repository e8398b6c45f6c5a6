package io.zero4j.trainer.cli;

import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelExporter;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * {@code ./zero4j export CHECKPOINT OUT_DIR [--dtype F32|F16|BF16]}: the Hugging Face folder of a
 * checkpoint (or of a run folder's newest checkpoint), with {@code zero4j.json} (run config and step).
 */
final class ExportCommand {
    private ExportCommand() {
    }

    static void run(String[] argv, PrintStream out) {
        Args args = new Args("export", argv, Set.of("dtype"), Set.of());
        if (args.positional().size() != 2) {
            throw new UserInputException("export: expected CHECKPOINT OUT_DIR");
        }
        Path source = Path.of(args.positional().get(0));
        Path target = Path.of(args.positional().get(1));
        try {
            Path checkpoint = Files.isDirectory(source.resolve("checkpoints"))
                    ? Checkpoints.latest(source).orElseThrow(() -> new UserInputException(
                            "export: " + source + " holds no complete checkpoint"))
                    : source;
            try (CausalLM model = ModelLoader.load(checkpoint, Devices.host(), DataType.FLOAT32)) {
                ModelExporter.export(model, checkpoint, target, InitCommand.parseDtype(args.string("dtype", "F32")),
                        ModelExporter.DEFAULT_MAX_SHARD_BYTES);
            }
            Path runConfig = checkpoint.resolve(Checkpoints.RUN_CONFIG);
            if (Files.exists(runConfig)) {
                Files.copy(runConfig, target.resolve(Checkpoints.RUN_CONFIG), StandardCopyOption.REPLACE_EXISTING);
            }
            out.println("exported " + checkpoint + " to " + target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
