package io.zero4j.trainer.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.Constants;
import io.zero4j.model.Devices;
import io.zero4j.model.Scalars;

/**
 * The GRPO-family policy loss of one micro-batch, differentiable in the current log-probabilities.
 *
 * <p>Per completion token t of sequence i, with mask m, advantage A_i and log-ratio
 * {@code l_t = clamp(logp_t - old_t, -20, 20)} (as veRL: one extreme token cannot overflow exp):
 * <pre>
 *   rho_t  = exp(l_t)                                        importance level "token"
 *   rho_t  = exp( clamp(sum_t m_t (logp_t - old_t) / max(1, sum_t m_t), -20, 20) )
 *                                                            importance level "sequence" (GSPO)
 *   L_t    = -min(rho_t A_i, clip(rho_t, 1 - epsilon, 1 + epsilon_high) A_i)
 *            + beta * (exp(ref_t - logp_t) - (ref_t - logp_t) - 1)        (k3 KL, only when beta > 0)
 *   grpo    : sum_i [ sum_t m L / max(1, sum_t m) ] / N_seq
 *   dapo    : sum_i sum_t m L / N_tok
 *   dr_grpo : sum_i sum_t m L / (N_seq * max_completion_length)
 * </pre>
 * With importance weights w_t between the sampler and the learner ({@link BehaviorCorrection}), the
 * policy term of L_t is multiplied by the detached w_t before the KL term is added (as TRL does).
 * N_seq and N_tok count the sequences and completion tokens of the whole optimizer step, so that
 * micro-batches' losses add up to the step's. With sequence ratios (GSPO) only {@code grpo} is
 * allowed: the paper's objective weighs each sequence once, whatever its length (the config refuses
 * {@code dapo} and {@code dr_grpo} there). Without old log-probabilities (a generation batch that
 * feeds a single optimizer step) the ratio is the detached current one: its value is exactly 1 and
 * the loss value is -mean(A) weighted (often ~0), but the gradient is A * grad logp, as in TRL.
 */
public final class GrpoLoss {
    /** Log-ratios are clamped to +-20 before {@code exp}: e^20 is 4.9e8, far past any clip range. */
    public static final double MAX_LOG_RATIO = 20.0;

    private GrpoLoss() {
    }

    /** Sequences and completion tokens in the whole generation batch. */
    public record Normalizers(long sequences, long tokens) {
    }

    /**
     * The loss (a scalar to back-propagate) and token counts for metrics: tokens whose ratio was
     * clipped low (ratio below 1 - epsilon with A below 0) and high (above 1 + epsilon_high with A
     * above 0), and the summed per-token KL (0 when beta is 0).
     */
    public record Terms(NDArray loss, double tokens, double clippedLow, double clippedHigh, double klSum) {
    }

    /**
     * @param logp       {@code [B, T]} current log-probabilities of the completion tokens (with grad)
     * @param oldLogp    {@code [B, T]} at sampling time, or null for the detached current ones
     * @param refLogp    {@code [B, T]} under the reference model, or null when beta is 0
     * @param advantages {@code [B]} one per sequence, or {@code [B, T]} one per token
     * @param mask       {@code [B, T]} 1 on completion tokens that count, 0 elsewhere
     */
    public static Terms compute(NDArray logp, NDArray oldLogp, NDArray refLogp, NDArray advantages, NDArray mask,
                                GrpoSettings s, Normalizers n) {
        return compute(logp, oldLogp, refLogp, advantages, mask, null, s, n);
    }

    /** As above, the policy term weighted per token by {@code isWeights} ({@code [B, T]}, detached; null: 1). */
    public static Terms compute(NDArray logp, NDArray oldLogp, NDArray refLogp, NDArray advantages, NDArray mask,
                                NDArray isWeights, GrpoSettings s, Normalizers n) {
        NDArray m = mask.toType(logp.getDataType(), false);                                    // [B, T]
        NDArray old = oldLogp != null ? oldLogp : logp.stopGradient();
        NDArray logRatio = logp.sub(old);                                                       // [B, T]
        NDArray tokensPerSeq = m.sum(new int[] {1}, true).maximum(1.0);                         // [B, 1]
        if (s.importanceSamplingLevel() == GrpoSettings.ImportanceSamplingLevel.SEQUENCE) {
            logRatio = logRatio.mul(m).sum(new int[] {1}, true).div(tokensPerSeq);              // [B, 1]
        }
        NDArray ratio = logRatio.clip(-MAX_LOG_RATIO, MAX_LOG_RATIO).exp();                     // [B, T] or [B, 1]
        NDArray a = advantages.toType(logp.getDataType(), false).reshape(logp.getShape().get(0), -1); // [B, 1] or [B, T]
        NDArray unclipped = ratio.mul(a);
        NDArray clipped = ratio.clip(1 - s.epsilon(), 1 + s.epsilonHigh()).mul(a);
        NDArray perToken = unclipped.minimum(clipped).neg().broadcast(logp.getShape());         // [B, T]
        if (isWeights != null) {
            perToken = perToken.mul(isWeights.toType(logp.getDataType(), false));               // [B, T]
        }
        double klSum = 0;
        if (s.beta() > 0) {
            NDArray d = refLogp.sub(logp);                                                      // [B, T]
            NDArray kl = d.exp().sub(d).sub(1);                                                 // [B, T]
            perToken = perToken.add(Constants.times(kl, s.beta()));
            klSum = Scalars.value(kl.mul(m).sum());
        }
        NDArray masked = perToken.mul(m);                                                       // [B, T]
        NDArray loss = switch (s.lossType()) {
            case GRPO -> Constants.over(masked.sum(new int[] {1}, true).div(tokensPerSeq).sum(), n.sequences());
            case DAPO -> Constants.over(masked.sum(), Math.max(1, n.tokens()));
            case DR_GRPO -> Constants.over(masked.sum(), (double) n.sequences() * s.maxCompletionLength());
        };
        NDArray r = ratio.stopGradient().broadcast(logp.getShape());                            // [B, T]
        NDArray aTokens = a.broadcast(logp.getShape());
        double low = Scalars.value(r.lt(1 - s.epsilon()).logicalAnd(aTokens.lt(0)).toType(m.getDataType(), false).mul(m).sum());
        double high = Scalars.value(r.gt(1 + s.epsilonHigh()).logicalAnd(aTokens.gt(0)).toType(m.getDataType(), false).mul(m).sum());
        return new Terms(loss, Scalars.value(m.sum()), low, high, klSum);
    }

    /** The loss value from plain arrays (rows are sequences), for users' own loops and for tests. */
    public record Value(double loss, double clipLowFraction, double clipHighFraction, double meanKl) {
    }

    /**
     * {@link #compute} on plain arrays in float64, on the host; {@code oldLogp} and {@code refLogp} may be null
     * (see there). Normalizers count this batch as the whole generation batch.
     */
    public static Value evaluate(double[][] logp, double[][] oldLogp, double[][] refLogp, double[] advantages,
                                 double[][] mask, GrpoSettings s) {
        try (NDManager manager = NDManager.newBaseManager(Devices.host()); NDScope ignored = new NDScope()) {
            NDArray lp = matrix(manager, logp);
            NDArray mk = matrix(manager, mask);
            long tokens = Math.round(Scalars.value(mk.sum()));
            Terms t = compute(lp, oldLogp == null ? null : matrix(manager, oldLogp),
                    refLogp == null ? null : matrix(manager, refLogp), manager.create(advantages), mk, s,
                    new Normalizers(logp.length, tokens));
            double denominator = Math.max(1, t.tokens());
            return new Value(Scalars.value(t.loss()), t.clippedLow() / denominator, t.clippedHigh() / denominator,
                    t.klSum() / denominator);
        }
    }

    private static NDArray matrix(NDManager m, double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " columns, expected " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return m.create(flat, new Shape(rows.length, cols)).toType(DataType.FLOAT64, false);
    }
}
