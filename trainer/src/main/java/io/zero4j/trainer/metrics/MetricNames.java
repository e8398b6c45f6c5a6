package io.zero4j.trainer.metrics;

/**
 * Every metric name a run writes to {@code metrics.jsonl}, in one place (TRL's names where it has
 * one). The loop, the evaluator, the plots, the report and the progress line all read them here.
 */
public final class MetricNames {
    public static final String REWARD = "reward";
    public static final String REWARD_STD = "reward_std";
    /** Share of sampled groups whose rewards all agree (dropped ones included, as TRL counts). */
    public static final String FRAC_REWARD_ZERO_STD = "frac_reward_zero_std";
    public static final String MEAN_LENGTH = "completions/mean_length";
    public static final String MIN_LENGTH = "completions/min_length";
    public static final String MAX_LENGTH = "completions/max_length";
    public static final String THINK_SHARE = "completions/think_share";
    public static final String CLIPPED_RATIO = "completions/clipped_ratio";
    public static final String LOSS = "loss";
    public static final String GRAD_NORM = "grad_norm";
    public static final String CLIP_LOW = "clip_ratio/low_mean";
    public static final String CLIP_HIGH = "clip_ratio/high_mean";
    public static final String KL = "kl";
    public static final String ENTROPY = "entropy";
    public static final String LEARNING_RATE = "learning_rate";
    public static final String SKIPPED_STEPS = "skipped_steps";
    public static final String ROLLOUT_SECONDS = "time/rollout_s";
    public static final String REWARD_SECONDS = "time/reward_s";
    public static final String UPDATE_SECONDS = "time/update_s";
    public static final String TOKENS_PER_SECOND = "tokens_per_second";
    public static final String SAMPLED_GROUPS = "dynamic_sampling/sampled_groups";
    public static final String DROPPED_GROUPS = "dynamic_sampling/dropped_groups";

    /** Held-out evaluation: {@link #EVAL} + a name below, e.g. {@code eval/greedy_pass@1}. */
    public static final String EVAL = "eval/";
    public static final String GREEDY_PASS_AT_1 = "greedy_pass@1";
    public static final String EVAL_MEAN_LENGTH = "mean_length";
    public static final String EVAL_THINK_SHARE = "think_share";
    public static final String SAMPLED_PASS_AT_1 = "sampled_pass@1";
    public static final String SAMPLED_MEAN_LENGTH = "sampled_mean_length";

    private MetricNames() {
    }

    /** {@code rewards/NAME/mean}: one reward function's mean over a step's completions. */
    public static String rewardMean(String reward) {
        return "rewards/" + reward + "/mean";
    }

    public static String rewardStd(String reward) {
        return "rewards/" + reward + "/std";
    }

    /** An evaluation's mean score of one reward function, {@code reward/NAME}. */
    public static String evalReward(String reward) {
        return "reward/" + reward;
    }

    public static String passAt(int k) {
        return "pass@" + k;
    }

    public static String majAt(int k) {
        return "maj@" + k;
    }
}
