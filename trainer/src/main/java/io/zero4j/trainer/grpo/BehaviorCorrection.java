package io.zero4j.trainer.grpo;

import ai.djl.ndarray.NDArray;
import io.zero4j.model.Scalars;

/**
 * Importance weights between the policy that sampled a batch (the behaviour policy, whose
 * log-probabilities come back with every completion) and the learner's weights when the update
 * starts, which are the PPO ratio's "old" policy. They differ when the batch is stale (sampled a
 * version ago, during the previous update) and, by rounding, whenever sampler and learner compute
 * apart. As in veRL's rollout correction and TRL's vLLM importance sampling, the update keeps the
 * ratio against the learner's old log-probabilities, so its clip band bounds the update itself, and
 * multiplies each token's policy term by a detached weight:
 * <pre>
 *   d_t = old_t - behaviour_t                                      (per token)
 *   token    : w_t = min(exp(d_t), cap)
 *   sequence : w_t = min(exp(clamp(sum_t m d_t, -20, 20)), cap)     (one weight per sequence)
 *   masking  : a sequence whose geometric-mean weight exp(mean_t d_t) leaves [mask_low, mask_high]
 *              is left out of the loss, numerator and denominator alike (off when mask_high is 0)
 * </pre>
 * With {@code old_logp: behavior} (veRL's bypass mode) the ratio is taken against the sampler's
 * log-probabilities instead: the clip band then bounds the distance from the sampler, staleness
 * included, no extra weight is applied (level none) and no forward pass computes the old ones.
 *
 * @param level    none (weights 1), token or sequence
 * @param cap      the truncation cap of a weight, at least 1
 * @param maskLow  the band's lower end (a geometric-mean weight below it masks the sequence)
 * @param maskHigh the band's upper end; 0 turns masking off
 * @param oldLogp  which log-probabilities the PPO ratio divides by: the learner's (default) or the sampler's
 */
public record BehaviorCorrection(Level level, double cap, double maskLow, double maskHigh, OldLogProbs oldLogp) {
    public enum Level { NONE, TOKEN, SEQUENCE }

    public enum OldLogProbs { LEARNER, BEHAVIOR }

    /** No weights, no masking. */
    public static final BehaviorCorrection OFF = new BehaviorCorrection(Level.NONE, 1, 0, 0, OldLogProbs.LEARNER);

    /** Against the learner's old log-probabilities. */
    public BehaviorCorrection(Level level, double cap, double maskLow, double maskHigh) {
        this(level, cap, maskLow, maskHigh, OldLogProbs.LEARNER);
    }

    public boolean behaviorAsOld() {
        return oldLogp == OldLogProbs.BEHAVIOR;
    }

    public boolean masks() {
        return maskHigh > 0;
    }

    /** One micro-batch's weights and what they say about the mismatch. */
    public record Weights(NDArray weights, double tokens, double klSum, double weightSum, double weightMax) {
    }

    /**
     * @param old       {@code [B, T]} the learner's log-probabilities at the update's start (detached)
     * @param behaviour {@code [B, T]} the sampler's, on the same tokens
     * @param mask      {@code [B, T]} 1 on completion tokens that count
     * @return weights {@code [B, T]} to multiply the per-token policy loss by (detached)
     */
    public Weights weigh(NDArray old, NDArray behaviour, NDArray mask) {
        NDArray m = mask.toType(old.getDataType(), false);                                       // [B, T]
        NDArray d = old.sub(behaviour.toType(old.getDataType(), false)).mul(m);                  // [B, T]
        NDArray raw = d.clip(-GrpoLoss.MAX_LOG_RATIO, GrpoLoss.MAX_LOG_RATIO).exp();             // [B, T]
        double tokens = Scalars.value(m.sum());
        double klSum = Scalars.value(raw.sub(1).sub(d).maximum(0).mul(m).sum()); // k3 of KL(behaviour || old), >= 0 past rounding
        double weightSum = Scalars.value(raw.mul(m).sum());
        double weightMax = tokens == 0 ? 1 : Scalars.value(raw.mul(m).max());
        NDArray w = switch (level) {
            case NONE -> m.onesLike();
            case TOKEN -> raw.minimum(cap);
            case SEQUENCE -> d.sum(new int[] {1}, true).clip(-GrpoLoss.MAX_LOG_RATIO, GrpoLoss.MAX_LOG_RATIO).exp()
                    .minimum(cap).broadcast(old.getShape());                                     // [B, T]
        };
        return new Weights(w.stopGradient(), tokens, klSum, weightSum, weightMax);
    }

    /**
     * Per row, whether its geometric-mean weight stays inside the band (always, when masking is off).
     *
     * @param old       one row's learner log-probabilities
     * @param behaviour the sampler's, same length
     */
    public boolean keeps(float[] old, float[] behaviour) {
        if (!masks() || old.length == 0) {
            return true;
        }
        double sum = 0;
        for (int t = 0; t < old.length; t++) {
            sum += old[t] - behaviour[t];
        }
        double g = Math.exp(sum / old.length);
        return g >= maskLow && g <= maskHigh;
    }

    /** The mismatch summed over a batch: per-token weights and KL, and the tokens masked out. */
    public static final class Mismatch {
        private double tokens;
        private double klSum;
        private double weightSum;
        private double weightMax;
        private double candidateTokens;
        private double maskedTokens;

        public void add(Weights w) {
            tokens += w.tokens();
            klSum += w.klSum();
            weightSum += w.weightSum();
            weightMax = Math.max(weightMax, w.weightMax());
        }

        /** A row of {@code length} tokens was checked against the band; {@code masked}: and left out. */
        public void checked(int length, boolean masked) {
            candidateTokens += length;
            maskedTokens += masked ? length : 0;
        }

        public double kl() {
            return klSum / Math.max(1, tokens);
        }

        public double weightMean() {
            return weightSum / Math.max(1, tokens);
        }

        public double weightMax() {
            return weightMax;
        }

        public double maskedShare() {
            return maskedTokens / Math.max(1, candidateTokens);
        }
    }
}
