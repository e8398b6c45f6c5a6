package io.zero4j.trainer.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CheckpointedScore;
import io.zero4j.model.CompletionBatch;
import io.zero4j.model.Scalars;
import io.zero4j.model.TokenLogProbs;
import io.zero4j.trainer.grpo.BehaviorCorrection;
import io.zero4j.trainer.grpo.GrpoLoss;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.optim.GradientClipping;
import io.zero4j.trainer.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The update half of a GRPO step: {@code num_iterations} passes over the scored batch, each cut into
 * micro-batches; {@code accumulation} micro-batches make one optimizer step (clip by global norm,
 * then the optimizer). When the batch feeds more than one optimizer step (several iterations, or
 * fewer accumulated micro-batches than the batch holds), the old log-probabilities are computed once
 * before the first step, so every later step weighs and clips its now-stale samples against the
 * policy that sampled them; with a single step they are the detached current ones (ratio exactly 1).
 * Reference log-probabilities are computed once when {@code beta > 0}. A step whose loss or gradient
 * norm is not finite is skipped (gradients dropped) and counted.
 *
 * <p>When the batch carries its sampler's log-probabilities, each token's policy term is weighted by
 * the {@link BehaviorCorrection} between the sampler and the learner's old log-probabilities (the
 * current ones in the single-step case), and its mismatch is measured; when the correction masks
 * sequences, the old log-probabilities are computed first so the masked rows leave the normalizers too.
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
    private final boolean checkpointing;
    private final BehaviorCorrection correction;

    /**
     * How a batch is cut and stepped: {@code accumulation} micro-batches of {@code microBatchSize} rows per
     * optimizer step, the global gradient norm clipped to {@code maxGradNorm} (0: no clipping), and with
     * {@code checkpointing} each micro-batch's activations recomputed layer by layer in the backward pass
     * ({@link CheckpointedScore}) instead of kept.
     */
    public record Batching(int microBatchSize, int accumulation, double maxGradNorm, boolean checkpointing) {
    }

    /** An update without importance weights between sampler and learner. */
    public GrpoUpdate(CausalLM policy, CausalLM reference, Optimizer optimizer, GrpoSettings settings, double temperature,
                      Batching batching) {
        this(policy, reference, optimizer, settings, temperature, batching, BehaviorCorrection.OFF);
    }

    public GrpoUpdate(CausalLM policy, CausalLM reference, Optimizer optimizer, GrpoSettings settings, double temperature,
                      Batching batching, BehaviorCorrection correction) {
        this.correction = correction;
        this.policy = policy;
        this.reference = reference;
        this.optimizer = optimizer;
        this.settings = settings;
        this.temperature = temperature;
        this.microBatchSize = batching.microBatchSize();
        this.accumulation = batching.accumulation();
        this.maxGradNorm = batching.maxGradNorm();
        this.checkpointing = batching.checkpointing();
    }

    public CausalLM policy() {
        return policy;
    }

    /** Optimizer steps one generation batch of {@code rows} sequences makes over {@code numIterations} passes. */
    public static int optimizerSteps(int rows, int microBatchSize, int accumulation, int numIterations) {
        int microBatches = (rows + microBatchSize - 1) / microBatchSize;
        return (microBatches + accumulation - 1) / accumulation * numIterations;
    }

    /** What the update did, summed over its optimizer steps (means where it says so). */
    public record Stats(int optimizerSteps, int skippedSteps, double meanLoss, double meanGradNorm, double clipLowFraction,
                        double clipHighFraction, double meanKl, double meanEntropy, double lastLearningRate,
                        double mismatchKl, double isWeightMean, double isWeightMax, double maskedTokenShare) {
        /** No update ran (dynamic sampling found no group with signal). */
        public static final Stats NONE = new Stats(0, 0, Double.NaN, Double.NaN, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, 0);
    }

    /** Rows {@code [from, to)} of one micro-batch, laid out for scoring. */
    private record MicroBatch(int from, int to, CompletionBatch sequences) {
    }

    /** Old and reference log-probabilities per micro-batch ({@code [b, C]} each), or null when not needed. */
    private record Baselines(List<NDArray> old, List<NDArray> reference) {
    }

    /** @param learningRate the rate for the n-th optimizer step of the run (0-based) */
    public Stats apply(ScoredBatch sampled, int numIterations, IntToDoubleFunction learningRate) {
        ScoredBatch batch = sampled;
        List<MicroBatch> micro = new ArrayList<>();
        for (int from = 0; from < batch.rows(); from += microBatchSize) {
            int to = Math.min(batch.rows(), from + microBatchSize);
            micro.add(new MicroBatch(from, to, CompletionBatch.of(batch.prompts(from, to), batch.completions(from, to))));
        }
        boolean corrected = batch.hasBehaviorLogProbs();
        boolean masking = corrected && correction.masks();
        Tally tally = new Tally();
        tally.behaviorAsOld = corrected && correction.behaviorAsOld(); // then the sampler's are the old ones
        boolean offPolicy = !tally.behaviorAsOld && optimizerSteps(batch.rows(), microBatchSize, accumulation, numIterations) > 1
                || masking;
        try (NDManager m = policy.manager().newSubManager()) {
            Baselines baselines = new Baselines(offPolicy ? scoreAll(policy, micro, m) : null,
                    settings.beta() > 0 ? scoreAll(reference, micro, m) : null);
            if (masking) {
                batch = maskOutOfBand(batch, micro, baselines.old(), tally);
            }
            tally.corrected = corrected;
            policy.setTrainable(true);
            try {
                for (int iteration = 0; iteration < numIterations; iteration++) {
                    tally.measuringMismatch = iteration == 0;
                    for (int first = 0; first < micro.size(); first += accumulation) {
                        optimizerStep(batch, micro, first, Math.min(micro.size(), first + accumulation), baselines, m, tally,
                                learningRate);
                    }
                }
            } finally {
                policy.setTrainable(false);
            }
        }
        return tally.stats();
    }

    /** Micro-batches {@code [first, last)} accumulated into one optimizer step. */
    private void optimizerStep(ScoredBatch batch, List<MicroBatch> micro, int first, int last, Baselines baselines,
                               NDManager m, Tally tally, IntToDoubleFunction learningRate) {
        int from = micro.get(first).from();
        int to = micro.get(last - 1).to();
        GrpoLoss.Normalizers norm = new GrpoLoss.Normalizers(to - from, batch.lossTokens(from, to));
        double stepLoss = 0;
        for (int index = first; index < last; index++) {
            stepLoss += backward(batch, micro.get(index), baselines.old() == null ? null : baselines.old().get(index),
                    baselines.reference() == null ? null : baselines.reference().get(index), norm, m, tally);
        }
        double gradNorm = GradientClipping.clip(policy.trainableParameters().values(), maxGradNorm);
        tally.learningRate = learningRate.applyAsDouble(optimizer.stepCount());
        if (!Double.isFinite(stepLoss) || !Double.isFinite(gradNorm)) {
            Autograd.zeroGradients(policy.trainableParameters().values());
            tally.skipped++;
            return;
        }
        optimizer.step(tally.learningRate);
        tally.steps++;
        tally.lossSum += stepLoss;
        tally.gradNormSum += gradNorm;
    }

    /** One micro-batch's loss, back-propagated (gradients accumulate); returns its value. */
    private double backward(ScoredBatch batch, MicroBatch mb, NDArray old, NDArray ref, GrpoLoss.Normalizers norm,
                            NDManager m, Tally tally) {
        CompletionBatch b = mb.sequences();
        try (NDScope ignored = new NDScope()) {
            Shape bc = new Shape(b.rows(), b.completionWidth());
            NDArray mask = lossMask(batch, mb, m);                                                   // [b, C]
            NDArray adv = m.create(batch.advantages(mb.from(), mb.to(), b.completionWidth()), bc)
                    .toType(policy.dataType(), false);                                              // [b, C]
            NDArray behaviour = tally.corrected
                    ? m.create(batch.behaviorLogProbs(mb.from(), mb.to(), b.completionWidth()), bc) : null; // [b, C]
            NDArray sampled = m.create(b.completionMask(), bc);                                      // [b, C] every sampled token
            NDArray ratioOld = tally.behaviorAsOld ? behaviour.toType(policy.dataType(), false) : old;  // [b, C] or null
            GrpoLoss.Terms t;
            NDArray entropies;                                                                       // [b, C]
            if (checkpointing) {
                CheckpointedScore pass = CheckpointedScore.forward(policy, b, m, temperature, true);
                NDArray logp = pass.logProbs().duplicate();                                          // [b, C] a leaf
                logp.setRequiresGradient(true);
                NDArray dLogp;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    t = GrpoLoss.compute(logp, ratioOld, ref, adv, mask, weigh(old, logp, behaviour, sampled, tally), settings, norm);
                    collector.backward(t.loss());
                    dLogp = logp.getGradient();
                }
                pass.backward(dLogp);
                entropies = pass.entropies();
            } else {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    TokenLogProbs.Result r = b.score(policy, m, temperature, true);
                    t = GrpoLoss.compute(r.logProbs(), ratioOld, ref, adv, mask, weigh(old, r.logProbs(), behaviour, sampled, tally),
                            settings, norm);
                    collector.backward(t.loss());
                    entropies = r.entropies();
                }
            }
            tally.tokens += t.tokens();
            tally.clippedLow += t.clippedLow();
            tally.clippedHigh += t.clippedHigh();
            tally.klSum += t.klSum();
            tally.entropySum += Scalars.value(entropies.mul(mask).sum());
            return Scalars.value(t.loss());
        }
    }

    /**
     * {@code [b, C]} weights of the policy term against the sampler (null: no sampler log-probabilities);
     * the first pass tallies the mismatch over every sampled token, masked rows' too (its evidence).
     */
    private NDArray weigh(NDArray old, NDArray logp, NDArray behaviour, NDArray sampled, Tally tally) {
        if (behaviour == null) {
            return null;
        }
        BehaviorCorrection.Weights w = correction.weigh(old != null ? old : logp.stopGradient(), behaviour, sampled);
        if (tally.measuringMismatch) {
            tally.mismatch.add(w);
        }
        return w.weights();
    }

    /** The batch with rows whose sampler-to-learner weight leaves the correction's band out of the loss. */
    private ScoredBatch maskOutOfBand(ScoredBatch batch, List<MicroBatch> micro, List<NDArray> old, Tally tally) {
        float[][] learner = new float[batch.rows()][];
        for (int index = 0; index < micro.size(); index++) {
            MicroBatch mb = micro.get(index);
            float[] rows = old.get(index).toFloatArray();                                            // [b, C]
            for (int r = mb.from(); r < mb.to(); r++) {
                int at = (r - mb.from()) * mb.sequences().completionWidth();
                learner[r] = java.util.Arrays.copyOfRange(rows, at, at + batch.rollouts().get(r).length());
            }
        }
        return batch.maskedOutside(correction, learner, tally.mismatch);
    }

    /** {@code [b, C]}: 1 on completion tokens of rows that count in the loss. */
    private static NDArray lossMask(ScoredBatch batch, MicroBatch mb, NDManager m) {
        CompletionBatch b = mb.sequences();
        float[] mask = b.completionMask();
        for (int r = 0; r < b.rows(); r++) {
            if (!batch.inLoss()[mb.from() + r]) {
                java.util.Arrays.fill(mask, r * b.completionWidth(), (r + 1) * b.completionWidth(), 0f);
            }
        }
        return m.create(mask, new Shape(b.rows(), b.completionWidth()));
    }

    /** {@code [b, C]} log-probabilities of every micro-batch under a model, without gradients, kept in {@code m}. */
    private List<NDArray> scoreAll(CausalLM model, List<MicroBatch> micro, NDManager m) {
        List<NDArray> out = new ArrayList<>();
        boolean gradWas = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try {
            for (MicroBatch mb : micro) {
                try (NDScope ignored = new NDScope()) {
                    NDArray logProbs = mb.sequences().score(model, m, temperature, false).logProbs();
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

    /** Sums over the update's micro-batches and optimizer steps. */
    private static final class Tally {
        int steps;
        int skipped;
        double lossSum;
        double gradNormSum;
        double tokens;
        double clippedLow;
        double clippedHigh;
        double klSum;
        double entropySum;
        double learningRate;
        boolean corrected;          // the batch carries its sampler's log-probabilities
        boolean behaviorAsOld;      // and the ratio divides by them
        boolean measuringMismatch;  // the first pass over the batch
        final BehaviorCorrection.Mismatch mismatch = new BehaviorCorrection.Mismatch();

        Stats stats() {
            double t = Math.max(1, tokens);
            return new Stats(steps, skipped, steps == 0 ? Double.NaN : lossSum / steps,
                    steps == 0 ? Double.NaN : gradNormSum / steps, clippedLow / t, clippedHigh / t, klSum / t,
                    entropySum / t, learningRate, corrected ? mismatch.kl() : Double.NaN,
                    corrected ? mismatch.weightMean() : Double.NaN, corrected ? mismatch.weightMax() : Double.NaN,
                    mismatch.maskedShare());
        }
    }
}
