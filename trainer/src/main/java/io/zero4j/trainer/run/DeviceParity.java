package io.zero4j.trainer.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.Architecture;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CompletionBatch;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.RandomInit;
import io.zero4j.trainer.grpo.Advantages;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.loop.GrpoUpdate;
import io.zero4j.trainer.loop.ScoredBatch;
import io.zero4j.trainer.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Whether a device computes what the host CPU computes, on a tiny seeded model (2 layers, grouped
 * query attention, q/k/v biases, tied embeddings): the completion log-probabilities of a fixed
 * batch, then one GRPO update of it (two optimizer steps, so old log-probabilities and the clipped
 * ratio are in play, with a KL term against a reference copy), then the log-probabilities again
 * under the updated weights. Random weights are drawn on the host, so both devices start from the
 * same bits; what differs is only where the arithmetic runs.
 */
public final class DeviceParity {
    /** The largest disagreement accepted, in log-probability and in loss (float32 on both sides). */
    public static final double TOLERANCE = 1e-4;

    static final ModelConfig SHAPE = ModelConfig.of(Architecture.QWEN2, 64, 160, 2, 4, 2, 300, true, 128);
    static final int PROMPTS = 2;
    static final int GROUP = 4;

    private DeviceParity() {
    }

    /** One comparison: the largest absolute difference and whether it is within {@link #TOLERANCE}. */
    public record Check(String what, double difference) {
        public boolean passed() {
            return difference <= TOLERANCE; // NaN fails
        }

        @Override
        public String toString() {
            return String.format("%-44s max |difference| %.2e (bound %.0e)  %s", what, difference, TOLERANCE,
                    passed() ? "ok" : "FAILED");
        }
    }

    /** The three comparisons of {@code device} against {@code host}. */
    public static List<Check> compare(Device device, Device host) {
        Run a = run(device);
        Run b = run(host);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("forward: completion log-probabilities", maxDifference(a.before(), b.before())));
        checks.add(new Check("one GRPO update: mean loss", Math.abs(a.loss() - b.loss())));
        checks.add(new Check("after the update: completion log-probabilities", maxDifference(a.after(), b.after())));
        return checks;
    }

    record Run(float[] before, double loss, float[] after) {
    }

    static Run run(Device device) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(17);
        double[] rewards = new double[PROMPTS * GROUP];
        for (int row = 0; row < PROMPTS * GROUP; row++) {
            prompts.add(tokens(rng, 5 + row / GROUP * 3));                 // prompts of different lengths: padding in play
            completions.add(tokens(rng, 3 + rng.nextInt(6)));
            rewards[row] = rng.nextInt(2);
        }
        rewards[0] = 1 - rewards[1]; // every group has signal
        rewards[GROUP] = 1 - rewards[GROUP + 1];
        GrpoSettings settings = new GrpoSettings(0.2, 0.28, 0.04, GrpoSettings.LossType.DAPO, GrpoSettings.ScaleRewards.GROUP,
                GrpoSettings.ImportanceSamplingLevel.TOKEN, 16);
        double[] advantages = Advantages.compute(rewards, GROUP, settings.scaleRewards());
        try (CausalLM policy = RandomInit.create(SHAPE, 5, device, DataType.FLOAT32);
             CausalLM reference = RandomInit.create(SHAPE, 5, device, DataType.FLOAT32)) {
            float[] before = logProbs(policy, prompts, completions);
            AdamW optimizer = new AdamW(policy.parameters(), policy.manager(), 0.9, 0.99, 1e-8, 0.1);
            GrpoUpdate update = new GrpoUpdate(policy, reference, optimizer, settings, 1.0,
                    new GrpoUpdate.Batching(GROUP, 1, 1.0, false));
            GrpoUpdate.Stats stats = update.apply(ScoredBatch.ofSequences(prompts, completions, advantages), 1, step -> 1e-2);
            return new Run(before, stats.meanLoss(), logProbs(policy, prompts, completions));
        }
    }

    private static float[] logProbs(CausalLM model, List<int[]> prompts, List<int[]> completions) {
        boolean gradWas = Autograd.enabledOnThisThread();
        Autograd.disableOnThisThread();
        try (NDManager m = model.manager().newSubManager()) {
            CompletionBatch batch = CompletionBatch.of(prompts, completions);
            NDArray logp = batch.score(model, m, 1.0, false).logProbs();                              // [B, C]
            float[] values = logp.toFloatArray();
            float[] mask = batch.completionMask();
            for (int i = 0; i < values.length; i++) {
                values[i] *= mask[i]; // padding positions are not compared
            }
            return values;
        } finally {
            Autograd.setEnabledOnThisThread(gradWas);
        }
    }

    private static int[] tokens(SplittableRandom rng, int length) {
        int[] t = new int[length];
        for (int i = 0; i < length; i++) {
            t[i] = 1 + rng.nextInt(SHAPE.vocabSize() - 1);
        }
        return t;
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
            if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
                return Double.NaN;
            }
        }
        return max;
    }
}
