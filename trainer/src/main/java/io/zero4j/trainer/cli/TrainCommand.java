package io.zero4j.trainer.cli;

import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.run.TrainingRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./zero4j train}: parses, resolves the config (fresh or resumed), and hands it to a {@link TrainingRun}. */
@Command(name = "train", mixinStandardHelpOptions = true, description = {"GRPO from a run config (JSON or YAML).",
    "Without CONFIG, the built-in default " + RunConfigLoader.DEFAULT_CONFIG + " (pretrains its base model first).",
    "--resume continues a run under its saved config, where only how long it runs and what it logs may change."})
final class TrainCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Mixin
    private RunOptions options = new RunOptions();

    TrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        return options.launch("train", Path.of(RunConfigLoader.DEFAULT_CONFIG), (config, source, folder, changes) -> {
            TrainingRun run = new TrainingRun(config, source, folder, out, err, start);
            if (changes == null) {
                run.start();
            } else {
                run.resume(changes);
            }
        });
    }
}
