package io.zero4j.trainer.cli;

import io.zero4j.model.UserInputException;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.ResumedConfig;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.run.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./zero4j train}: parses, resolves the config (fresh or resumed), and hands it to a {@link TrainingRun}. */
@Command(name = "train", mixinStandardHelpOptions = true, description = {"GRPO from a run config (JSON or YAML).",
    "Without CONFIG, the built-in default " + RunConfigLoader.DEFAULT_CONFIG + " (pretrains its base model first).",
    "--resume continues a run under its saved config, where only how long it runs and what it logs may change."})
final class TrainCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Parameters(arity = "0..1", paramLabel = "CONFIG", description = "the run config")
    private Path config;
    @Mixin
    private SharedOptions.Overrides overrides = new SharedOptions.Overrides();
    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue the run in RUN_DIR")
    private Path resume;
    @Option(names = "--overwrite", description = "clear run.output_dir first")
    private boolean overwrite;

    TrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        if (resume != null && overwrite) {
            throw new UserInputException("train: --resume continues a run and --overwrite deletes it; give one");
        }
        try {
            return resume != null ? resume(start) : start(start);
        } catch (IOException e) {
            throw new UserInputException((resume != null ? resume : "train") + ": " + e.getMessage());
        }
    }

    private int resume(long start) throws IOException {
        try (RunFolder folder = RunFolder.existing(resume)) {
            Path saved = folder.resolve(RunFolder.CONFIG);
            ResumedConfig resumed = ResumedConfig.resolve(saved, config, overrides.values, resume);
            String source = (config == null ? saved : config).toString();
            new TrainingRun(resumed.config(), source, folder, out, err, start).resume(resumed.changes());
        }
        return 0;
    }

    private int start(long start) throws IOException {
        Path source = config == null ? Path.of(RunConfigLoader.DEFAULT_CONFIG) : config;
        RunConfig loaded = RunConfigLoader.load(source, overrides.values);
        try (RunFolder folder = RunFolder.fresh(Path.of(loaded.run().outputDir()), overwrite)) {
            new TrainingRun(loaded, source.toString(), folder, out, err, start).start();
        }
        return 0;
    }
}
