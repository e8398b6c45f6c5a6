package io.zero4j.trainer.grpo;

import java.util.HashMap;
import java.util.Map;

/**
 * Group-relative advantages: {@code A_i = (r_i - mean_g(r)) / (std + 1e-4)}, the mean over the
 * completion's group, the std the sample standard deviation (divisor n-1, as TRL and veRL compute
 * it) over the group ({@code group}), over the whole batch ({@code batch}), or no division
 * ({@code none}). A group whose rewards all agree gets advantage 0 for every member, never NaN; a
 * one-member group has mean = its reward, so also 0.
 */
public final class Advantages {
    public static final double STD_EPSILON = 1e-4;

    private Advantages() {
    }

    /** Rows in groups of {@code groupSize} consecutive rows (prompt-major rollouts). */
    public static double[] compute(double[] rewards, int groupSize, GrpoSettings.ScaleRewards scale) {
        int[] groups = new int[rewards.length];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = i / groupSize;
        }
        return compute(rewards, groups, scale);
    }

    /** Rows grouped by id, in any order. */
    public static double[] compute(double[] rewards, int[] groupIds, GrpoSettings.ScaleRewards scale) {
        Map<Integer, double[]> stats = new HashMap<>(); // id -> {sum, count, sum of squared deviations}
        for (int i = 0; i < rewards.length; i++) {
            double[] s = stats.computeIfAbsent(groupIds[i], k -> new double[3]);
            s[0] += rewards[i];
            s[1]++;
        }
        for (int i = 0; i < rewards.length; i++) {
            double[] s = stats.get(groupIds[i]);
            double d = rewards[i] - s[0] / s[1];
            s[2] += d * d;
        }
        double batchStd = sampleStd(rewards);
        double[] out = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            double[] s = stats.get(groupIds[i]);
            double centred = rewards[i] - s[0] / s[1];
            double std = switch (scale) {
                case GROUP -> s[1] > 1 ? Math.sqrt(s[2] / (s[1] - 1)) : 0.0;
                case BATCH -> batchStd;
                case NONE -> Double.NaN;
            };
            out[i] = scale == GrpoSettings.ScaleRewards.NONE ? centred : centred / (std + STD_EPSILON);
        }
        return out;
    }

    /** The sample standard deviation (divisor n-1); 0 for fewer than two values. */
    public static double sampleStd(double[] x) {
        if (x.length < 2) {
            return 0.0;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (x.length - 1));
    }
}
