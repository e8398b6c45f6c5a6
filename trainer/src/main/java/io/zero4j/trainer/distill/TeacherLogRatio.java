package io.zero4j.trainer.distill;

import io.zero4j.rollout.Completion;
import io.zero4j.trainer.loop.LearningSignal;
import io.zero4j.trainer.loop.ScoredGroup;
import io.zero4j.trainer.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * On-policy distillation's learning signal (GKD; Thinking Machines' on-policy distillation): for
 * each token the student sampled, {@code A_t = log pi_T(y_t | x, y_<t) - log pi_S(y_t | x, y_<t)},
 * the negative per-token reverse KL, less its mean over the batch's tokens. The update's policy
 * gradient {@code -A_t grad log pi_S(y_t)} then lowers {@code KL(pi_S || pi_T)} on the student's
 * own samples: the expectation of {@code grad log pi_S} at a position is 0, so the constant baseline
 * leaves the gradient's expectation as it is and only takes away the push every token got alike
 * (the log-ratio is mostly negative), which otherwise drowns the signal. The rule rewards are still
 * computed and logged, but do not steer. The student's log-probabilities are those it sampled with
 * (temperature 1, checked when the config loads).
 */
public final class TeacherLogRatio implements LearningSignal {
    private final TeacherScorer teacher;
    private double lastReverseKl = Double.NaN;

    public TeacherLogRatio(TeacherScorer teacher) {
        this.teacher = teacher;
    }

    @Override
    public double[][] advantages(List<ScoredGroup> groups) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        List<float[]> student = new ArrayList<>();
        for (ScoredGroup g : groups) {
            for (Completion c : g.completions()) {
                prompts.add(g.promptIds());
                completions.add(c.tokenIds());
                student.add(c.logProbs());
            }
        }
        List<float[]> teacherLogProbs = teacher.score(prompts, completions);
        double[][] out = new double[completions.size()][];
        double klSum = 0;
        long tokens = 0;
        for (int r = 0; r < out.length; r++) {
            out[r] = new double[completions.get(r).length];
            for (int t = 0; t < out[r].length; t++) {
                out[r][t] = teacherLogProbs.get(r)[t] - student.get(r)[t];
                klSum -= out[r][t];
                tokens++;
            }
        }
        lastReverseKl = tokens == 0 ? Double.NaN : klSum / tokens;
        double baseline = tokens == 0 ? 0 : -lastReverseKl;
        for (double[] row : out) {
            for (int t = 0; t < row.length; t++) {
                row[t] -= baseline;
            }
        }
        return out;
    }

    /** The mean per-token reverse KL estimate {@code log pi_S - log pi_T} over the last batch's sampled tokens. */
    @Override
    public Map<String, Double> metrics() {
        return Map.of(MetricNames.REVERSE_KL, lastReverseKl);
    }
}
