package io.zero4j.trainer.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.TokenLogProbs;
import io.zero4j.trainer.grpo.GrpoLoss;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.optim.GradientClipping;
import io.zero4j.trainer.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The update half of a GRPO step: {@code num_iterations} passes over the generation batch, each cut
 * into micro-batches; {@code accumulation} micro-batches make one optimizer step (clip by global
 * norm, then the optimizer). When the batch feeds more than one optimizer step (several iterations,
 * or fewer accumulated micro-batches than the batch holds), the old log-probabilities are computed
 * once before the first step, so every later step weighs and clips its now-stale samples against the
 * policy that sampled them; with a single step they are the detached current ones (ratio exactly 1).
 * Reference log-probabilities are computed once when {@code beta > 0}. A step whose loss or gradient
 * norm is not finite is skipped (gradients dropped) and counted.
 */
public final class GrpoUpdate {
    private final CausalLM policy;
    private final CausalLM reference;
    private final Optimizer optimizer;
    private final GrpoSettings settings;
    private final double temperature;
    private final int microBatchSize;
    private final int accumulation;
    private final double maxGradNorm;

    public GrpoUpdate(CausalLM policy, CausalLM reference, Optimizer optimizer, GrpoSettings settings, double temperature,
                      int microBatchSize, int accumulation, double maxGradNorm) {
        this.policy = policy;
        this.reference = reference;
        this.optimizer = optimizer;
        this.settings = settings;
        this.temperature = temperature;
        this.microBatchSize = microBatchSize;
        this.accumulation = accumulation;
        this.maxGradNorm = maxGradNorm;
    }

    /** Optimizer steps one generation batch of {@code rows} sequences makes over {@code numIterations} passes. */
    public static int optimizerSteps(int rows, int microBatchSize, int accumulation, int numIterations) {
        int microBatches = (rows + microBatchSize - 1) / microBatchSize;
        return (microBatches + accumulation - 1) / accumulation * numIterations;
    }

    /** What the update did, summed over its optimizer steps (means where it says so). */
    public record Stats(int optimizerSteps, int skippedSteps, double meanLoss, double meanGradNorm, double clipLowFraction,
                        double clipHighFraction, double meanKl, double meanEntropy, double lastLearningRate) {
        /** No update ran (dynamic sampling found no group with signal). */
        public static final Stats NONE = new Stats(0, 0, Double.NaN, Double.NaN, 0, 0, 0, Double.NaN, Double.NaN);
    }

    /** Row ranges {@code [from, to)} of the micro-batches. */
    private record MicroBatch(int from, int to) {
        SequenceBatch of(List<int[]> prompts, List<int[]> completions) {
            return SequenceBatch.of(prompts.subList(from, to), completions.subList(from, to));
        }
    }

    /**
     * @param prompts      prompt ids per row
     * @param completions  completion ids per row
     * @param masked       rows whose tokens are left out of the loss (truncated, when so configured)
     * @param advantages   per row
     * @param learningRate the rate for the n-th optimizer step of the run (0-based)
     */
    public Stats apply(List<int[]> prompts, List<int[]> completions, boolean[] masked, double[] advantages,
                       int numIterations, IntToDoubleFunction learningRate) {
        int rows = prompts.size();
        List<MicroBatch> micro = new ArrayList<>();
        for (int from = 0; from < rows; from += microBatchSize) {
            micro.add(new MicroBatch(from, Math.min(rows, from + microBatchSize)));
        }
        boolean offPolicy = optimizerSteps(rows, microBatchSize, accumulation, numIterations) > 1;
        int steps = 0;
        int skipped = 0;
        double lossSum = 0;
        double normSum = 0;
        double tokens = 0;
        double low = 0;
        double high = 0;
        double kl = 0;
        double entropySum = 0;
        double lr = 0;
        try (NDManager m = policy.manager().newSubManager()) {
            List<NDArray> old = offPolicy ? scoreAll(policy, prompts, completions, micro, m) : null;
            List<NDArray> ref = settings.beta() > 0 ? scoreAll(reference, prompts, completions, micro, m) : null;
            policy.setTrainable(true);
            try {
                for (int iteration = 0; iteration < numIterations; iteration++) {
                    for (int first = 0; first < micro.size(); first += accumulation) {
                        List<MicroBatch> group = micro.subList(first, Math.min(micro.size(), first + accumulation));
                        int groupFrom = group.get(0).from();
                        int groupTo = group.get(group.size() - 1).to();
                        long groupTokens = 0;
                        for (int r = groupFrom; r < groupTo; r++) {
                            groupTokens += masked[r] ? 0 : completions.get(r).length;
                        }
                        GrpoLoss.Normalizers norm = new GrpoLoss.Normalizers(groupTo - groupFrom, groupTokens);
                        double stepLoss = 0;
                        for (int index = first; index < first + group.size(); index++) {
                            MicroBatch mb = micro.get(index);
                            try (NDScope ignored = new NDScope();
                                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                                SequenceBatch b = mb.of(prompts, completions);
                                TokenLogProbs.Result r = PolicyScorer.score(policy, b, m, temperature, true);
                                NDArray mask = rowMask(b, masked, mb.from(), m);                     // [b, C]
                                NDArray adv = m.create(Arrays.copyOfRange(advantages, mb.from(), mb.to()))
                                        .toType(r.logProbs().getDataType(), false);                 // [b]
                                GrpoLoss.Terms t = GrpoLoss.compute(r.logProbs(), old == null ? null : old.get(index),
                                        ref == null ? null : ref.get(index), adv, mask, settings, norm);
                                collector.backward(t.loss());
                                stepLoss += GrpoLoss.scalar(t.loss());
                                tokens += t.tokens();
                                low += t.clippedLow();
                                high += t.clippedHigh();
                                kl += t.klSum();
                                entropySum += GrpoLoss.scalar(r.entropies().mul(mask).sum());
                            }
                        }
                        double gradNorm = GradientClipping.clip(policy.parameters().values(), maxGradNorm);
                        lr = learningRate.applyAsDouble(optimizer.stepCount());
                        if (!Double.isFinite(stepLoss) || !Double.isFinite(gradNorm)) {
                            Autograd.zeroGradients(policy.parameters().values());
                            skipped++;
                            continue;
                        }
                        optimizer.step(lr);
                        steps++;
                        lossSum += stepLoss;
                        normSum += gradNorm;
                    }
                }
            } finally {
                policy.setTrainable(false);
            }
        }
        double t = Math.max(1, tokens);
        return new Stats(steps, skipped, steps == 0 ? Double.NaN : lossSum / steps, steps == 0 ? Double.NaN : normSum / steps,
                low / t, high / t, kl / t, entropySum / t, lr);
    }

    private static NDArray rowMask(SequenceBatch b, boolean[] masked, int first, NDManager m) {
        float[] mask = b.completionMask().clone();
        for (int r = 0; r < b.rows(); r++) {
            if (masked[first + r]) {
                Arrays.fill(mask, r * b.completionWidth(), (r + 1) * b.completionWidth(), 0f);
            }
        }
        return m.create(mask, new Shape(b.rows(), b.completionWidth()));
    }

    /** {@code [b, C]} log-probabilities of every micro-batch under a model, without gradients, kept in {@code m}. */
    private List<NDArray> scoreAll(CausalLM model, List<int[]> prompts, List<int[]> completions, List<MicroBatch> micro,
                                   NDManager m) {
        List<NDArray> out = new ArrayList<>();
        boolean gradWas = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try {
            for (MicroBatch mb : micro) {
                try (NDScope ignored = new NDScope()) {
                    NDArray logProbs = PolicyScorer.score(model, mb.of(prompts, completions), m, temperature, false).logProbs();
                    NDScope.unregister(logProbs);
                    logProbs.attach(m); // results belong to the weights' manager: move it where it is freed
                    out.add(logProbs);
                }
            }
        } finally {
            Autograd.setEnabledOnThisThread(gradWas);
        }
        return out;
    }
}
