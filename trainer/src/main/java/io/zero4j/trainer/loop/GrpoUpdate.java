package io.zero4j.trainer.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.TokenLogProbs;
import io.zero4j.trainer.grpo.GrpoLoss;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.GradientClipping;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The update half of a GRPO step: {@code num_iterations} passes over the generation batch, each cut
 * into micro-batches; {@code accumulation} micro-batches make one optimizer step (clip by global
 * norm, AdamW). Old log-probabilities are computed once before the first pass when
 * {@code num_iterations > 1}; reference ones when {@code beta > 0}. A step whose loss or gradient
 * norm is not finite is skipped (gradients dropped) and counted.
 */
public final class GrpoUpdate {
    private final CausalLM policy;
    private final CausalLM reference;
    private final AdamW optimizer;
    private final GrpoSettings settings;
    private final double temperature;
    private final int microBatchSize;
    private final int accumulation;
    private final double maxGradNorm;

    public GrpoUpdate(CausalLM policy, CausalLM reference, AdamW optimizer, GrpoSettings settings, double temperature,
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

    /** What the update did, summed over its optimizer steps (means where it says so). */
    public record Stats(int optimizerSteps, int skippedSteps, double meanLoss, double meanGradNorm, double clipLowFraction,
                        double clipHighFraction, double meanKl, double meanEntropy, double lastLearningRate) {
        /** No update ran (dynamic sampling found no group with signal). */
        public static final Stats NONE = new Stats(0, 0, Double.NaN, Double.NaN, 0, 0, 0, Double.NaN, Double.NaN);
    }

    /**
     * @param prompts    prompt ids per row
     * @param completions completion ids per row
     * @param masked     rows whose tokens are left out of the loss (truncated, when so configured)
     * @param advantages per row
     * @param learningRate the rate for the n-th optimizer step of the run (0-based)
     */
    public Stats apply(List<int[]> prompts, List<int[]> completions, boolean[] masked, double[] advantages,
                       int numIterations, IntToDoubleFunction learningRate) {
        int rows = prompts.size();
        List<int[]> starts = new ArrayList<>();
        for (int from = 0; from < rows; from += microBatchSize) {
            starts.add(new int[] {from, Math.min(rows, from + microBatchSize)});
        }
        List<float[]> old = numIterations > 1 ? scoreAll(policy, prompts, completions, starts) : null;
        List<float[]> ref = settings.beta() > 0 ? scoreAll(reference, prompts, completions, starts) : null;
        policy.setTrainable(true);
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
            for (int iteration = 0; iteration < numIterations; iteration++) {
                for (int g = 0; g < starts.size(); g += accumulation) {
                    int groupEnd = Math.min(starts.size(), g + accumulation);
                    long sequences = starts.get(groupEnd - 1)[1] - starts.get(g)[0];
                    long groupTokens = 0;
                    for (int r = starts.get(g)[0]; r < starts.get(groupEnd - 1)[1]; r++) {
                        groupTokens += masked[r] ? 0 : completions.get(r).length;
                    }
                    GrpoLoss.Normalizers norm = new GrpoLoss.Normalizers(sequences, groupTokens);
                    double stepLoss = 0;
                    for (int index = g; index < groupEnd; index++) {
                        int[] s = starts.get(index);
                        try (NDScope ignored = new NDScope();
                             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            SequenceBatch b = SequenceBatch.of(prompts.subList(s[0], s[1]), completions.subList(s[0], s[1]));
                            TokenLogProbs.Result r = PolicyScorer.score(policy, b, m, temperature, true);
                            NDArray mask = rowMask(b, masked, s[0], m);                            // [b, C]
                            NDArray adv = m.create(java.util.Arrays.copyOfRange(advantages, s[0], s[1]))
                                    .toType(r.logProbs().getDataType(), false);                      // [b]
                            GrpoLoss.Terms t = GrpoLoss.compute(r.logProbs(), old == null ? null : m.create(old.get(index),
                                    r.logProbs().getShape()), ref == null ? null : m.create(ref.get(index),
                                    r.logProbs().getShape()), adv, mask, settings, norm);
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
        double t = Math.max(1, tokens);
        return new Stats(steps, skipped, steps == 0 ? Double.NaN : lossSum / steps, steps == 0 ? Double.NaN : normSum / steps,
                low / t, high / t, kl / t, entropySum / t, lr);
    }

    private static NDArray rowMask(SequenceBatch b, boolean[] masked, int first, NDManager m) {
        float[] mask = b.completionMask().clone();
        for (int r = 0; r < b.rows(); r++) {
            if (masked[first + r]) {
                java.util.Arrays.fill(mask, r * b.completionWidth(), (r + 1) * b.completionWidth(), 0f);
            }
        }
        return m.create(mask, new ai.djl.ndarray.types.Shape(b.rows(), b.completionWidth()));
    }

    /** Log-probabilities of every micro-batch under a model, without gradients, as plain arrays. */
    private List<float[]> scoreAll(CausalLM model, List<int[]> prompts, List<int[]> completions, List<int[]> starts) {
        List<float[]> out = new ArrayList<>();
        boolean gradWas = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try (NDManager m = model.manager().newSubManager()) {
            for (int[] s : starts) {
                try (NDScope ignored = new NDScope()) {
                    SequenceBatch b = SequenceBatch.of(prompts.subList(s[0], s[1]), completions.subList(s[0], s[1]));
                    out.add(PolicyScorer.score(model, b, m, temperature, false).logProbs().toFloatArray());
                }
            }
        } finally {
            Autograd.setEnabledOnThisThread(gradWas);
        }
        return out;
    }
}
