package io.zero4j.trainer.loop;

import static io.zero4j.trainer.metrics.MetricNames.*;

import io.zero4j.rewards.Thinking;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.FinishReason;
import io.zero4j.trainer.grpo.Advantages;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A GRPO step's row of {@code metrics.jsonl}, from what the step sampled, kept and updated. */
final class StepMetrics {
    private StepMetrics() {
    }

    /** The update's wall time and the whole step's (sampling waited for, update, publishing). */
    record Timing(long updateNanos, long stepNanos) {
    }

    /** Who sampled: executors, the learner's version at the update, and how many versions the batch lagged it. */
    record Versions(int executors, int learnerVersion, int staleness) {
    }

    static Map<String, Double> of(ScoredBatch batch, GroupSampler.Collected collected, GrpoUpdate.Stats stats, boolean kl,
                                  boolean dynamic, Timing timing, Versions versions) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(REWARD, mean(batch.totals()));
        m.put(REWARD_STD, Advantages.sampleStd(batch.totals()));
        batch.rewardColumns().forEach((name, v) -> {
            m.put(rewardMean(name), mean(v));
            m.put(rewardStd(name), Advantages.sampleStd(v));
        });
        m.put(FRAC_REWARD_ZERO_STD, (double) collected.agreeingGroups() / collected.sampledGroups());
        completions(batch.rollouts().completions(), m);
        m.put(LOSS, stats.meanLoss());
        m.put(GRAD_NORM, stats.meanGradNorm());
        m.put(CLIP_LOW, stats.clipLowFraction());
        m.put(CLIP_HIGH, stats.clipHighFraction());
        if (kl) {
            m.put(KL, stats.meanKl());
        }
        m.put(ENTROPY, stats.meanEntropy());
        m.put(LEARNING_RATE, stats.lastLearningRate());
        m.put(SKIPPED_STEPS, (double) stats.skippedSteps());
        m.put(MISMATCH_KL, stats.mismatchKl());
        m.put(MISMATCH_IS_WEIGHT_MEAN, stats.isWeightMean());
        m.put(MISMATCH_IS_WEIGHT_MAX, stats.isWeightMax());
        m.put(MISMATCH_MASKED_TOKENS, stats.maskedTokenShare());
        m.put(REWARD_ERRORS, (double) collected.rewardErrors());
        m.put(REWARD_TIMEOUTS, (double) collected.rewardTimeouts());
        m.put(ROLLOUT_EXECUTORS, (double) versions.executors());
        m.put(ROLLOUT_POLICY_VERSION, (double) (versions.learnerVersion() - versions.staleness()));
        m.put(ROLLOUT_STALENESS, (double) versions.staleness());
        m.put(ROLLOUT_SECONDS, Math.max(0, collected.rolloutNanos() - collected.rewardNanos()) / 1e9);
        m.put(REWARD_SECONDS, collected.rewardNanos() / 1e9);
        m.put(ROLLOUT_WAIT_SECONDS, collected.waitNanos() / 1e9);
        m.put(UPDATE_SECONDS, timing.updateNanos() / 1e9);
        m.put(STEP_SECONDS, timing.stepNanos() / 1e9);
        m.put(TOKENS_PER_SECOND, collected.generatedTokens() / (timing.stepNanos() / 1e9)); // every sampled token, dropped groups' too
        if (dynamic) {
            m.put(SAMPLED_GROUPS, (double) collected.sampledGroups());
            m.put(DROPPED_GROUPS, (double) (collected.sampledGroups() - collected.kept().size()));
        }
        return m;
    }

    private static void completions(List<Completion> completions, Map<String, Double> m) {
        double[] lengths = completions.stream().mapToDouble(Completion::length).toArray();
        m.put(MEAN_LENGTH, mean(lengths));
        m.put(MIN_LENGTH, Arrays.stream(lengths).min().orElse(0));
        m.put(MAX_LENGTH, Arrays.stream(lengths).max().orElse(0));
        double n = completions.isEmpty() ? Double.NaN : completions.size();
        m.put(THINK_SHARE, completions.stream().filter(c -> Thinking.reasons(c.text())).count() / n);
        m.put(CLIPPED_RATIO, completions.stream().filter(c -> c.finishReason() == FinishReason.LENGTH).count() / n);
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }
}
