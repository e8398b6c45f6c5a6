package io.zero4j.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CompletionBatch;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ParameterLayout;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A generation batch that feeds two optimizer steps (two micro-batches, no accumulation): the
 * second step's gradient must weigh its now-stale samples by the ratio to the policy that sampled
 * them, and clip it. Checked against a float64 reference built from the pre-update
 * log-probabilities: {@code dL/dlogp_t = -A rho_t / N} where the clip does not bind and 0 where it
 * does, back-propagated through the updated model as the fixed-weight sum {@code sum_t w_t logp_t}.
 */
class OffPolicyUpdateTest {
    static final List<int[]> PROMPTS = List.of(new int[] {3, 9, 14}, new int[] {7, 2}, new int[] {3, 9, 14}, new int[] {7, 2});
    static final List<int[]> COMPLETIONS = List.of(new int[] {5, 11, 30, 2}, new int[] {8, 8}, new int[] {40, 1, 17},
            new int[] {22, 6, 6, 50, 12});
    static final double[] ADVANTAGES = {1.2, -0.7, 1.4, -0.9};
    static final double EPSILON = 0.2;
    static final double EPSILON_HIGH = 0.28;

    /** Records the parameters and gradients each optimizer step sees, then lets AdamW apply it. */
    static final class Recording implements Optimizer {
        final AdamW adam;
        final Map<String, NDArray> parameters;
        final List<Map<String, double[]>> params = new ArrayList<>();
        final List<Map<String, double[]>> grads = new ArrayList<>();

        Recording(CausalLM model) {
            this.parameters = model.parameters();
            this.adam = new AdamW(parameters, model.manager(), 0.9, 0.999, 1e-8, 0.0);
        }

        @Override
        public void step(double lr) {
            Map<String, double[]> p = new LinkedHashMap<>();
            Map<String, double[]> g = new LinkedHashMap<>();
            parameters.forEach((name, a) -> {
                p.put(name, a.toDoubleArray());
                g.put(name, a.getGradient().toDoubleArray());
            });
            params.add(p);
            grads.add(g);
            adam.step(lr);
        }

        @Override
        public int stepCount() {
            return adam.stepCount();
        }
    }

    @Test
    void theSecondStepWeighsAndClipsAgainstThePreUpdatePolicy() {
        ModelConfig config = TinyModels.qwen2();
        try (CausalLM policy = TinyModels.sharpModel(config, 21, DataType.FLOAT64)) {
            Recording optimizer = new Recording(policy);
            GrpoSettings settings = new GrpoSettings(EPSILON, EPSILON_HIGH, 0, GrpoSettings.LossType.DAPO,
                    GrpoSettings.ScaleRewards.GROUP, GrpoSettings.ImportanceSamplingLevel.TOKEN, 8);
            GrpoUpdate update = new GrpoUpdate(policy, null, optimizer, settings, 1.0, new GrpoUpdate.Batching(2, 1, 0.0, false));
            GrpoUpdate.Stats stats = update.apply(ScoredBatch.ofSequences(PROMPTS, COMPLETIONS, ADVANTAGES), 1, n -> 0.05);
            assertEquals(2, stats.optimizerSteps());
            assertEquals(2, optimizer.grads.size());

            // Step 1 (rows 0-1) is on-policy: ratio 1, w = -A / N.
            Reference first = reference(config, optimizer.params.get(0), optimizer.params.get(0), 0);
            assertClose(first.gradients(), optimizer.grads.get(0), "first step");

            // Step 2 (rows 2-3) ran on the updated policy against the pre-update log-probabilities.
            Reference second = reference(config, optimizer.params.get(0), optimizer.params.get(1), 2);
            assertTrue(second.maxRatioDeviation() > 0.05, "the update moved the policy: " + second.maxRatioDeviation());
            assertTrue(second.clippedTokens() > 0, "and the clip binds on some token");
            assertClose(second.gradients(), optimizer.grads.get(1), "second step");
            Reference stale = reference(config, optimizer.params.get(1), optimizer.params.get(1), 2);
            assertTrue(maxDifference(stale.gradients(), optimizer.grads.get(1)) > 1e-3 * scale(optimizer.grads.get(1)),
                    "ratio-1 weights (the detached current log-probabilities) would give another gradient");
        }
    }

    record Reference(Map<String, double[]> gradients, double maxRatioDeviation, int clippedTokens) {
    }

    /**
     * The gradient of the micro-batch starting at {@code first} (two rows) under weights
     * {@code current}, with old log-probabilities from weights {@code old}: each token's weight
     * {@code dL/dlogp} is computed here in plain float64 arithmetic, then {@code sum w logp} is
     * back-propagated.
     */
    static Reference reference(ModelConfig config, Map<String, double[]> old, Map<String, double[]> current, int first) {
        double[][] oldLogp = logProbs(config, old, first, null);
        double[][] currentLogp = logProbs(config, current, first, null);
        long tokens = 0;
        for (int r = first; r < first + 2; r++) {
            tokens += COMPLETIONS.get(r).length;
        }
        double[][] w = new double[2][];
        double deviation = 0;
        int clipped = 0;
        for (int i = 0; i < 2; i++) {
            double a = ADVANTAGES[first + i];
            int len = COMPLETIONS.get(first + i).length;
            w[i] = new double[currentLogp[i].length];
            for (int t = 0; t < len; t++) {
                double rho = Math.exp(currentLogp[i][t] - oldLogp[i][t]);
                deviation = Math.max(deviation, Math.abs(rho - 1));
                boolean clip = (a > 0 && rho > 1 + EPSILON_HIGH) || (a < 0 && rho < 1 - EPSILON);
                clipped += clip ? 1 : 0;
                w[i][t] = clip ? 0 : -a * rho / tokens;
            }
        }
        Map<String, double[]> grads = new LinkedHashMap<>();
        logProbs(config, current, first, new Object[] {w, grads});
        return new Reference(grads, deviation, clipped);
    }

    /**
     * {@code [2, C]} log-probabilities of rows {@code first, first + 1} under the given weights;
     * with {@code backward = {w, out}}, also back-propagates {@code sum w logp} into {@code out}.
     */
    @SuppressWarnings("unchecked")
    static double[][] logProbs(ModelConfig config, Map<String, double[]> weights, int first, Object[] backward) {
        try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            ParameterLayout.shapes(config).forEach((name, shape) -> params.put(name, m.create(weights.get(name), new Shape(shape))));
            CausalLM model = new CausalLM(config, params, m);
            CompletionBatch b = CompletionBatch.of(PROMPTS.subList(first, first + 2), COMPLETIONS.subList(first, first + 2));
            double[][] out = new double[2][b.completionWidth()];
            if (backward == null) {
                double[] flat = b.score(model, m, 1.0, false).logProbs().toDoubleArray();
                for (int i = 0; i < 2; i++) {
                    System.arraycopy(flat, i * b.completionWidth(), out[i], 0, b.completionWidth());
                }
                return out;
            }
            double[][] w = (double[][]) backward[0];
            double[] flatW = new double[2 * b.completionWidth()];
            for (int i = 0; i < 2; i++) {
                System.arraycopy(w[i], 0, flatW, i * b.completionWidth(), b.completionWidth());
            }
            model.setTrainable(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray logp = b.score(model, m, 1.0, false).logProbs();                  // [2, C]
                c.backward(logp.mul(m.create(flatW, new Shape(2, b.completionWidth()))).sum());
            }
            Map<String, double[]> grads = (Map<String, double[]>) backward[1];
            params.forEach((name, p) -> grads.put(name, p.getGradient().toDoubleArray()));
            return out;
        }
    }

    static double scale(Map<String, double[]> g) {
        double max = 0;
        for (double[] v : g.values()) {
            for (double x : v) {
                max = Math.max(max, Math.abs(x));
            }
        }
        return max;
    }

    static double maxDifference(Map<String, double[]> a, Map<String, double[]> b) {
        double max = 0;
        for (String name : a.keySet()) {
            double[] x = a.get(name);
            double[] y = b.get(name);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    static void assertClose(Map<String, double[]> expected, Map<String, double[]> actual, String what) {
        double diff = maxDifference(expected, actual);
        assertTrue(scale(expected) > 1e-6, what + ": a gradient to compare");
        assertTrue(diff <= 1e-5 * scale(expected), what + ": gradient differs from the reference by " + diff
                + " (largest component " + scale(expected) + ")");
    }
}
