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
    /** From submitting a batch to its last group, less the reward seconds (a lower bound when executors score in parallel). */
    public static final String ROLLOUT_SECONDS = "time/rollout_s";
    /** Seconds in reward functions, summed over wherever they ran. */
    public static final String REWARD_SECONDS = "time/reward_s";
    /** Seconds the learner waited for its batch (below the rollout's when it was sampled during the last update). */
    public static final String ROLLOUT_WAIT_SECONDS = "time/rollout_wait_s";
    public static final String UPDATE_SECONDS = "time/update_s";
    /** The whole step's wall time: waiting for the batch, the update, publishing the weights. */
    public static final String STEP_SECONDS = "time/step_s";
    /** Sampled tokens per second of step wall time. */
    public static final String TOKENS_PER_SECOND = "tokens_per_second";
    /** Reward calls that threw (each scored 0). */
    public static final String REWARD_ERRORS = "rewards/errors";
    /** Reward calls that ran out of their time budget (each scored 0). */
    public static final String REWARD_TIMEOUTS = "rewards/timeouts";
    /** Processes that sampled (1 for the local backend). */
    public static final String ROLLOUT_EXECUTORS = "rollout/executors";
    /** The policy version that sampled the batch (the learner's weights after that many steps). */
    public static final String ROLLOUT_POLICY_VERSION = "rollout/policy_version";
    /** How many versions the batch's sampler was behind the learner at the update. */
    public static final String ROLLOUT_STALENESS = "rollout/staleness";
    /**
     * KL(behaviour || learner) on the sampled tokens, the k3 estimate {@code mean(w - 1 - log w)} with
     * {@code w = exp(learner - behaviour)}: 0 when sampler and learner agree.
     */
    public static final String MISMATCH_KL = "mismatch/kl";
    /** Mean and largest per-token weight {@code learner / behaviour} before truncation. */
    public static final String MISMATCH_IS_WEIGHT_MEAN = "mismatch/is_weight_mean";
    public static final String MISMATCH_IS_WEIGHT_MAX = "mismatch/is_weight_max";
    /** Share of completion tokens left out of the loss because their sequence's weight left the band. */
    public static final String MISMATCH_MASKED_TOKENS = "mismatch/masked_tokens";
    public static final String SAMPLED_GROUPS = "dynamic_sampling/sampled_groups";
    public static final String DROPPED_GROUPS = "dynamic_sampling/dropped_groups";

    /** SFT: completion tokens a step trained on, and the epoch (fractional) it reached. */
    public static final String TOKENS = "tokens";
    public static final String EPOCH = "epoch";
    /** On-policy distillation: the batch's mean per-token reverse KL to the teacher (student log-ratio, sampled tokens). */
    public static final String REVERSE_KL = "distill/reverse_kl";
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
