package io.zero4j.trainer.run;

import java.io.PrintStream;
import java.util.Map;

/** A bar redrawn in place on a terminal; a plain line every tenth of the run in a pipe. */
final class Progress {
    private final PrintStream err;
    private final int total;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();

    Progress(PrintStream err, int total) {
        this.err = err;
        this.total = total;
    }

    void step(int step, Map<String, Double> m) {
        String line = String.format("step %d/%d  reward %.3f  len %.0f  %.1fs", step, total, m.get("reward"),
                m.get("completions/mean_length"), (System.nanoTime() - start) / 1e9);
        if (terminal) {
            int filled = 30 * step / total;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + line + (step == total ? "\n" : ""));
        } else if (step == total || step % Math.max(1, total / 10) == 0) {
            err.println("zero4j: " + line);
        }
    }
}
