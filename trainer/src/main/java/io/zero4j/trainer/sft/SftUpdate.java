package io.zero4j.trainer.sft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CompletionBatch;
import io.zero4j.model.Constants;
import io.zero4j.model.Scalars;
import io.zero4j.model.TokenLogProbs;
import io.zero4j.trainer.optim.GradientClipping;
import io.zero4j.trainer.optim.Optimizer;
import java.util.List;

/**
 * One supervised optimizer step: the negative log-likelihood of the completion tokens only (the
 * prompt is context, never a target), averaged over every completion token of the step, so a
 * micro-batch weighs by its tokens, as TRL's SFTTrainer averages. Micro-batches accumulate their
 * gradients; the global norm is clipped, then the optimizer steps. A step whose loss or gradient is
 * not finite is skipped (gradients dropped).
 *
 * <p>{@code L = -(1 / N) sum_{rows} sum_{t in completion} log pi(y_t | prompt, y_<t)}, N the step's completion tokens.
 */
final class SftUpdate {
    private final CausalLM policy;
    private final Optimizer optimizer;
    private final int microBatchSize;
    private final double maxGradNorm;

    /** What a step did: mean NLL per completion token, gradient norm before clipping, tokens, skipped or not. */
    record Stats(double loss, double gradNorm, long tokens, boolean skipped) {
    }

    SftUpdate(CausalLM policy, Optimizer optimizer, int microBatchSize, double maxGradNorm) {
        this.policy = policy;
        this.optimizer = optimizer;
        this.microBatchSize = microBatchSize;
        this.maxGradNorm = maxGradNorm;
    }

    Stats step(List<SftExample> rows, double learningRate) {
        long tokens = rows.stream().mapToLong(r -> r.completion().length).sum();
        double loss = 0;
        policy.setTrainable(true); // gradients live while the parameters are trainable: clip and step inside
        try (NDManager m = policy.manager().newSubManager()) {
            for (int from = 0; from < rows.size(); from += microBatchSize) {
                List<SftExample> micro = rows.subList(from, Math.min(rows.size(), from + microBatchSize));
                loss += backward(micro, tokens, m);
            }
            double gradNorm = GradientClipping.clip(policy.trainableParameters().values(), maxGradNorm);
            if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
                Autograd.zeroGradients(policy.trainableParameters().values());
                return new Stats(loss, gradNorm, tokens, true);
            }
            optimizer.step(learningRate);
            return new Stats(loss, gradNorm, tokens, false);
        } finally {
            policy.setTrainable(false);
        }
    }

    /** One micro-batch's share of the step's loss, back-propagated; returns its value. */
    private double backward(List<SftExample> micro, long stepTokens, NDManager m) {
        CompletionBatch b = CompletionBatch.of(micro.stream().map(SftExample::prompt).toList(),
                micro.stream().map(SftExample::completion).toList());
        try (NDScope ignored = new NDScope();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray mask = m.create(b.completionMask(), new Shape(b.rows(), b.completionWidth()))
                    .toType(policy.dataType(), false);                                              // [b, C]
            TokenLogProbs.Result r = b.score(policy, m, 1.0, false);
            NDArray loss = Constants.over(r.logProbs().mul(mask).sum().neg(), stepTokens);            // []
            collector.backward(loss);
            return Scalars.value(loss);
        }
    }
}
