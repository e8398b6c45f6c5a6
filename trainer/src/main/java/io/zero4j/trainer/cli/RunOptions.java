package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.UserInputException;
import io.zero4j.trainer.checkpoint.RunFolder;
import io.zero4j.trainer.config.CommandKeys;
import io.zero4j.trainer.config.ResumedConfig;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code CONFIG}, {@code --set}, {@code --resume RUN_DIR} and {@code --overwrite}: how a command
 * that trains into a run folder ({@code train}, {@code sft}) finds its config and folder, fresh or
 * resumed, declared once.
 */
final class RunOptions {
    /** What a command does with its resolved config and folder. */
    interface Run {
        /** @param changes null for a fresh run; on a resume, each changed key with its old and new value */
        void run(RunConfig config, String source, RunFolder folder, Map<String, JsonNode[]> changes) throws IOException;
    }

    @Parameters(arity = "0..1", paramLabel = "CONFIG", description = "the run config")
    private Path config;
    @Mixin
    private SharedOptions.Overrides overrides = new SharedOptions.Overrides();
    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue the run in RUN_DIR")
    private Path resume;
    @Option(names = "--overwrite", description = "clear run.output_dir first")
    private boolean overwrite;

    /**
     * Resolves the config (the saved one with the allowed changes on {@code --resume}) and the
     * folder, and runs; {@code defaultConfig} (null: none) stands in for a missing CONFIG.
     */
    int launch(String command, Path defaultConfig, Run run) {
        if (resume != null && overwrite) {
            throw new UserInputException(command + ": --resume continues a run and --overwrite deletes it; give one");
        }
        if (resume == null && config == null && defaultConfig == null) {
            throw new UserInputException(command + ": give a CONFIG, or --resume RUN_DIR");
        }
        try {
            if (resume != null) {
                try (RunFolder folder = RunFolder.existing(resume, command)) {
                    Path saved = folder.resolve(RunFolder.CONFIG);
                    ResumedConfig resumed = ResumedConfig.resolve(saved, config, overrides.values, resume);
                    CommandKeys.checkChanges(resumed.config(), command, resumed.changes().keySet(),
                            (config == null ? saved : config).toString());
                    run.run(resumed.config(), (config == null ? saved : config).toString(), folder, resumed.changes());
                }
            } else {
                Path source = config == null ? defaultConfig : config;
                RunConfig loaded = RunConfigLoader.load(source, overrides.values);
                CommandKeys.check(loaded, command, source.toString());
                try (RunFolder folder = RunFolder.fresh(Path.of(loaded.run().outputDir()), overwrite, command)) {
                    run.run(loaded, source.toString(), folder, null);
                }
            }
        } catch (IOException e) {
            throw new UserInputException((resume != null ? resume : command) + ": " + e.getMessage());
        }
        return 0;
    }
}
