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
import java.util.Set;

/**
 * {@code ./zero4j train [CONFIG] [--set key=value]... [--overwrite]} starts a run in the config's
 * {@code run.output_dir} (an empty folder, or one {@code --overwrite} clears);
 * {@code ./zero4j train --resume RUN_DIR [CONFIG] [--set key=value]...} continues one under its saved
 * config, where only {@link ResumedConfig#SAFE_TO_CHANGE} may change.
 */
final class TrainCommand {
    private TrainCommand() {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) {
        long start = System.nanoTime();
        Args args = new Args("train", argv, Set.of("set", "resume"), Set.of("overwrite"));
        if (args.positional().size() > 1) {
            throw new UserInputException("train: give one config file: ./zero4j train [CONFIG] [--set key=value]..."
                    + " [--resume RUN_DIR | --overwrite]");
        }
        String resume = args.string("resume", null);
        if (resume != null && args.flag("overwrite")) {
            throw new UserInputException("train: --resume continues a run and --overwrite deletes it; give one");
        }
        Path runDir = null;
        try {
            if (resume != null) {
                runDir = Path.of(resume);
                try (RunFolder folder = RunFolder.existing(runDir)) {
                    Path configFile = args.positional().isEmpty() ? null : Path.of(args.positional().get(0));
                    ResumedConfig resumed = ResumedConfig.resolve(folder.resolve(RunFolder.CONFIG), configFile,
                            args.all("set"), runDir);
                    String source = configFile == null ? folder.resolve(RunFolder.CONFIG).toString() : configFile.toString();
                    new TrainingRun(resumed.config(), source, folder, out, err, start).resume(resumed.changes());
                }
            } else {
                String source = args.positional().isEmpty() ? RunConfigLoader.DEFAULT_CONFIG : args.positional().get(0);
                RunConfig config = RunConfigLoader.load(Path.of(source), args.all("set"));
                runDir = Path.of(config.run().outputDir());
                try (RunFolder folder = RunFolder.fresh(runDir, args.flag("overwrite"))) {
                    new TrainingRun(config, source, folder, out, err, start).start();
                }
            }
        } catch (IOException e) {
            throw new UserInputException(runDir + ": " + e.getMessage());
        }
    }
}
