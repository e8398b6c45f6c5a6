package io.zero4j.trainer.cli;

import java.io.PrintStream;

/**
 * A command that lives in another module (zero4j-serve's {@code serve}), found through
 * {@link java.util.ServiceLoader}, so the trainer does not depend on that module's libraries.
 */
public interface CommandPlugin {
    /** The picocli command object, printing to {@code out} and {@code err}. */
    Object command(PrintStream out, PrintStream err);
}
