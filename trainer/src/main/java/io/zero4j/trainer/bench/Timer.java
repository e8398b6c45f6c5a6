package io.zero4j.trainer.bench;

import java.util.Arrays;

/**
 * Wall-clock medians: untimed warm-up runs, then the median of the timed ones. Small ops need seconds
 * of warm-up (DJL's Java side is JIT-compiled only after thousands of calls), hence the minimum warm-up time.
 */
final class Timer {
    private Timer() {
    }

    /** Median seconds of {@code measured} runs of {@code work}, after {@code warmup} untimed ones. */
    static double median(int warmup, int measured, Runnable work) {
        return median(warmup, 0, measured, work);
    }

    /** As {@link #median(int, int, Runnable)}, warming up for at least {@code warmupSeconds} too. */
    static double median(int warmup, double warmupSeconds, int measured, Runnable work) {
        long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) {
            work.run();
        }
        double[] seconds = new double[measured];
        for (int i = 0; i < measured; i++) {
            long t0 = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(seconds);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
