package io.zero4j.serve;

import io.zero4j.trainer.cli.CommandPlugin;
import java.io.PrintStream;

/** Registers {@code serve} with the trainer's command line (a {@link java.util.ServiceLoader} service). */
public final class ServeCommandPlugin implements CommandPlugin {
    @Override
    public Object command(PrintStream out, PrintStream err) {
        return new ServeCommand(out, err);
    }
}
