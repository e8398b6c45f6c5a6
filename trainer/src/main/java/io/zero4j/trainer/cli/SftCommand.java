package io.zero4j.trainer.cli;

import io.zero4j.model.UserInputException;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.ResumedConfig;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.run.SftRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./zero4j sft CONFIG}: supervised fine-tuning on prompt/completion pairs (distill's traces). */
@Command(name = "sft", mixinStandardHelpOptions = true, description = {
    "Supervised fine-tuning on prompt/completion pairs (dataset.path: e.g. distill's traces.jsonl), loss on the",
    "completion tokens only, evaluated on dataset.eval_path with the run's rewards; --resume continues a run."})
final class SftCommand implements Callable<Integer> {
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

    SftCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        if (resume == null && config == null) {
            throw new UserInputException("sft: give a CONFIG, or --resume RUN_DIR");
        }
        if (resume != null) {
            try (RunFolder folder = RunFolder.existing(resume)) {
                Path saved = folder.resolve(RunFolder.CONFIG);
                ResumedConfig resumed = ResumedConfig.resolve(saved, config, overrides.values, resume);
                new SftRun(resumed.config(), (config == null ? saved : config).toString(), folder, out, err, start).run(true);
            }
            return 0;
        }
        RunConfig loaded = RunConfigLoader.load(config, overrides.values);
        try (RunFolder folder = RunFolder.fresh(Path.of(loaded.run().outputDir()), overwrite)) {
            new SftRun(loaded, config.toString(), folder, out, err, start).run(false);
        }
        return 0;
    }
}
