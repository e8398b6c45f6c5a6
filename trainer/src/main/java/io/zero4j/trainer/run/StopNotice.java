package io.zero4j.trainer.run;

import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Says what a run kept when it stops early: a SIGTERM or Ctrl-C (a shutdown hook prints the step it
 * stopped in and the resume command), or a failure reported as one line (the line gains the same).
 */
final class StopNotice {
    /** Work that may write files and fail. */
    interface Work {
        void run() throws IOException;
    }

    private final PrintStream err;
    private final RunHarness harness;

    StopNotice(PrintStream err, RunHarness harness) {
        this.err = err;
        this.harness = harness;
    }

    void around(Work work) throws IOException {
        Thread onSignal = new Thread(() -> err.println(harness.stoppedMessage()));
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            work.run();
        } catch (UserInputException e) {
            throw new UserInputException(e.getMessage() + "; " + harness.keptAndHowToResume());
        } finally {
            harness.end();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it says what was kept
            }
        }
    }
}
