package io.zero4j.trainer.grpo;

/**
 * The algorithm knobs, with TRL's GRPOConfig names.
 *
 * @param epsilon                 lower clip range: ratios below {@code 1 - epsilon} are clipped
 * @param epsilonHigh             upper clip range ({@code 1 + epsilonHigh}); DAPO's clip-higher
 * @param beta                    weight of the k3 KL penalty to the reference policy; 0 = no reference
 * @param lossType                how per-token losses are aggregated
 * @param scaleRewards            what the advantage is divided by
 * @param importanceSamplingLevel one ratio per token, or one per sequence (GSPO)
 * @param maxCompletionLength     the denominator's length for {@code dr_grpo}
 */
public record GrpoSettings(double epsilon, double epsilonHigh, double beta, LossType lossType, ScaleRewards scaleRewards,
                           ImportanceSamplingLevel importanceSamplingLevel, int maxCompletionLength) {

    /** How {@code loss_type} aggregates per-token losses. */
    public enum LossType {
        /** Mean over each sequence's tokens, then mean over sequences. */
        GRPO,
        /** Sum over all tokens / completion tokens in the whole generation batch (default). */
        DAPO,
        /** Sum over all tokens / (sequences x max_completion_length). */
        DR_GRPO
    }

    /** What {@code scale_rewards} divides the centred reward by. */
    public enum ScaleRewards {
        /** The group's sample standard deviation (default). */
        GROUP,
        /** The whole batch's sample standard deviation. */
        BATCH,
        /** Nothing (Dr. GRPO). */
        NONE
    }

    /** One ratio per token, or one per sequence (GSPO: the mean log-ratio over its tokens). */
    public enum ImportanceSamplingLevel { TOKEN, SEQUENCE }

    public GrpoSettings {
        if (!(epsilon >= 0) || !(epsilonHigh >= 0)) {
            throw new IllegalArgumentException("epsilon and epsilon_high must be >= 0");
        }
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("beta must be >= 0");
        }
        if (importanceSamplingLevel == ImportanceSamplingLevel.SEQUENCE && lossType != LossType.GRPO) {
            throw new IllegalArgumentException("sequence-level ratios (GSPO) weigh each sequence once: loss_type must be grpo");
        }
    }

    /** TRL's defaults: epsilon 0.2 both sides, no KL, dapo, group scaling, token ratios. */
    public static GrpoSettings defaults(int maxCompletionLength) {
        return new GrpoSettings(0.2, 0.2, 0.0, LossType.DAPO, ScaleRewards.GROUP, ImportanceSamplingLevel.TOKEN,
                maxCompletionLength);
    }
}
