package io.zero4j.trainer.cli;

import io.zero4j.trainer.run.SftRun;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./zero4j sft CONFIG}: supervised fine-tuning on prompt/completion pairs (distill's traces). */
@Command(name = "sft", mixinStandardHelpOptions = true, description = {
    "Supervised fine-tuning on prompt/completion pairs (dataset.path: e.g. distill's traces.jsonl), loss on the",
    "completion tokens only, evaluated on dataset.eval_path with the run's rewards; --resume continues a run."})
final class SftCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Mixin
    private RunOptions options = new RunOptions();

    SftCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        return options.launch("sft", null, (config, source, folder, changes) ->
                new SftRun(config, source, folder, out, err, start).run(changes));
    }
}
