package io.zero4j.trainer.cli;

import ai.djl.Device;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.pretrain.BaseModels;
import io.zero4j.trainer.pretrain.PretrainConfig;
import io.zero4j.trainer.pretrain.PretrainConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./zero4j pretrain CONFIG [--set key=value]... [--out DIR] [--force]}: makes the toy base
 * model (corpus, tokenizer, next-token training) into the cache folder the config names, or into
 * {@code --out}; a cached model is reused unless {@code --force}.
 */
final class PretrainCommand {
    private PretrainCommand() {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) {
        Args args = new Args("pretrain", argv, Set.of("set", "out", "device"), Set.of("force"));
        if (args.positional().size() != 1) {
            throw new UserInputException("pretrain: give one config file: ./zero4j pretrain CONFIG [--set key=value]..."
                    + " [--out DIR] [--force] [--device D]");
        }
        String source = args.positional().get(0);
        PretrainConfig config = PretrainConfigLoader.load(Path.of(source), args.all("set"));
        String explicit = args.string("out", null);
        Device device = args.device();
        try {
            Path folder;
            if (explicit == null && !args.flag("force")) {
                folder = BaseModels.ensure(config, source, device, err);
            } else {
                folder = BaseModels.build(config, source, explicit == null ? BaseModels.folderFor(config) : Path.of(explicit), device, err);
            }
            out.println(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
