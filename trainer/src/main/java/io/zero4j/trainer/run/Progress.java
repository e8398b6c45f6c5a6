package io.zero4j.trainer.run;

import io.zero4j.trainer.metrics.MetricNames;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Steps done and the latest step's headline numbers (reward and length for sampling methods, loss
 * and tokens for SFT): on a terminal a progress bar (me.tongfei:progressbar:
 * rate, elapsed and remaining time, redrawn in place); in a pipe or a log file one plain line every
 * tenth of the run, since a bar redrawn with carriage returns turns a log into one long line.
 */
final class Progress implements AutoCloseable {
    private final PrintStream err;
    private final int total;
    private final long start = System.nanoTime();
    private ProgressBar bar;

    Progress(PrintStream err, int total) {
        this.err = err;
        this.total = total;
    }

    /** Starts the bar at {@code done} steps (a resumed run's), when on a terminal. */
    void begin(int done) {
        if (System.console() != null && bar == null) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).setUnit(" steps", 1).showSpeed()
                    .startsFrom(done, Duration.ZERO).build();
        }
    }

    /** @param last whether the run ends with this step (its steps, or its time budget) */
    void step(int step, Map<String, Double> m, boolean last) {
        String summary = summary(m);
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage("  " + summary);
            if (last) {
                close();
            }
        } else if (last || step % Math.max(1, total / 10) == 0) {
            err.println(String.format("zero4j: step %d/%d  %s  %.1fs", step, total, summary, (System.nanoTime() - start) / 1e9));
        }
    }

    /** Reward and length when the step sampled (GRPO, on-policy distillation), else loss and tokens (SFT). */
    static String summary(Map<String, Double> m) {
        if (m.containsKey(MetricNames.REWARD)) {
            return String.format("reward %.3f  len %.0f", m.get(MetricNames.REWARD), m.getOrDefault(MetricNames.MEAN_LENGTH, Double.NaN));
        }
        return String.format("loss %.4f  tokens %.0f", m.getOrDefault(MetricNames.LOSS, Double.NaN),
                m.getOrDefault(MetricNames.TOKENS, Double.NaN));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
