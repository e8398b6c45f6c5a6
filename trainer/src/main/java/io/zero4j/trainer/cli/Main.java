package io.zero4j.trainer.cli;

import ai.djl.engine.EngineException;
import io.zero4j.model.UserInputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./zero4j COMMAND ...} on picocli: every command has {@code --help}. Bad options and user
 * errors print one line starting {@code zero4j: } and exit with code 2; a bug prints its stack trace
 * and exits with code 1.
 */
@Command(name = "zero4j", mixinStandardHelpOptions = true, version = "zero4j 0.1.0-SNAPSHOT",
        description = "R1-Zero-style reinforcement learning for reasoning models, on the JVM.",
        synopsisSubcommandLabel = "COMMAND", subcommands = CommandLine.HelpCommand.class)
public final class Main implements Callable<Integer> {
    /**
     * What to do when DJL finds no libtorch it can load. Seen with DJL 0.33's cu124 natives on a machine
     * with a CUDA runtime (libcudart.so of CUDA 13) but no GPU or driver: DJL then wants to download
     * another libtorch, which offline fails.
     */
    static final String ENGINE_HINT = "the cuda build uses its bundled libtorch only where DJL's CUDA probe"
            + " (libcudart.so on the library path) finds a GPU, and otherwise wants to download another libtorch;"
            + " check nvidia-smi and LD_LIBRARY_PATH (e.g. /usr/local/cuda-12.4/lib64), or build without -Pcuda";

    @Spec
    private CommandSpec spec;

    /** No command: the usage, on standard error, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main());
        for (Object command : new Object[] {new InitCommand(out), new TrainCommand(out, err), new PretrainCommand(out, err),
            new EvalCommand(out), new ExportCommand(out), new InfoCommand(out), new GenerateCommand(out),
            new GpuCheckCommand(out), new ScoreCommand(out, err), new BenchCommand(out, err), new DistillCommand(out, err),
            new SftCommand(out, err)}) {
            cli.addSubcommand(command);
        }
        for (CommandPlugin plugin : ServiceLoader.load(CommandPlugin.class)) {
            cli.addSubcommand(plugin.command(out, err));
        }
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().showDefaultValues(true));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(100);
        cli.setParameterExceptionHandler((e, argv) -> {
            String command = e.getCommandLine().getCommandName();
            err.println("zero4j: " + (command.equals("zero4j") ? "" : command + ": ") + e.getMessage()
                    + "; see ./zero4j " + (command.equals("zero4j") ? "" : command + " ") + "--help");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof UserInputException) {
                err.println("zero4j: " + e.getMessage());
                return 2;
            }
            if (e instanceof EngineException) {
                err.println("zero4j: PyTorch did not load (" + rootMessage(e) + "): " + ENGINE_HINT);
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : e.getMessage() + ": " + t.getMessage();
    }
}
