package io.zero4j.trainer.cli;

import ai.djl.Device;
import io.zero4j.trainer.toy.BaseModels;
import io.zero4j.trainer.toy.PretrainConfig;
import io.zero4j.trainer.toy.PretrainConfigLoader;
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

/** {@code ./zero4j pretrain}: makes the toy base model into its cache folder (or {@code --out}). */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = {"Make the toy base model"
    + " (corpus, tokenizer, next-token training) from a pretraining config such as configs/toy-base.json;",
    "a cached model is reused unless --force."})
final class PretrainCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Parameters(paramLabel = "CONFIG", description = "the pretraining config")
    private Path config;
    @Mixin
    private SharedOptions.Overrides overrides = new SharedOptions.Overrides();
    @Option(names = "--out", paramLabel = "DIR", description = "write here instead of the cache")
    private Path outDir;
    @Option(names = "--force", description = "pretrain again even when cached")
    private boolean force;
    @Mixin
    private SharedOptions.DeviceOption device = new SharedOptions.DeviceOption();

    PretrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        PretrainConfig c = PretrainConfigLoader.load(config, overrides.values);
        Device d = device.resolve();
        Path folder = outDir == null && !force ? BaseModels.ensure(c, config.toString(), d, err)
                : BaseModels.build(c, config.toString(), outDir == null ? BaseModels.folderFor(c) : outDir, d, err);
        out.println(folder);
        return 0;
    }
}
