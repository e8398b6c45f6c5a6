package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.zero4j.model.testing.TinyModels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through the decoder and the chunked log-probabilities agrees with central finite
 * differences of the summed target log-probabilities (float64 model, so the differences are exact
 * to ~1e-9).
 */
class GradientCheckTest {
    static List<ModelConfig> families() {
        return TinyModels.allFamilies();
    }

    @ParameterizedTest
    @MethodSource("families")
    void gradientOfTargetLogProbsMatchesFiniteDifferences(ModelConfig config) {
        List<int[]> sequences = List.of(new int[] {4, 8, 15, 16, 23, 42}, new int[] {1, 2, 3});
        PaddedBatch batch = PaddedBatch.rightPadded(sequences, 0);
        String[] probes = {
            ParameterLayout.EMBED, ParameterLayout.layer(0, "self_attn.q_proj.weight"),
            ParameterLayout.layer(1, "self_attn.k_proj.weight"), ParameterLayout.layer(0, "self_attn.v_proj.weight"),
            ParameterLayout.layer(1, "mlp.down_proj.weight"), ParameterLayout.layer(0, "input_layernorm.weight"),
            ParameterLayout.FINAL_NORM,
            config.qkNorm() ? ParameterLayout.layer(1, "self_attn.q_norm.weight") : ParameterLayout.layer(1, "mlp.up_proj.weight"),
            config.qkvBias() ? ParameterLayout.layer(0, "self_attn.q_proj.bias") : ParameterLayout.layer(0, "mlp.gate_proj.weight"),
        };
        try (CausalLM model = TinyModels.sharpModel(config, 5, DataType.FLOAT64);
             NDManager m = NDManager.newBaseManager()) {
            model.setTrainable(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                 NDScope ignored = new NDScope()) {
                collector.backward(objective(model, batch, m));
            }
            // Every probe's gradient is copied out before any finite difference runs, as the optimizer
            // reads them right after the backward. (The garbage this test read three times in CI,
            // -3.6e-310 and the like, was DJL freeing the Java memory of number-made scalars that
            // autograd still used; see Constants.)
            Map<String, double[]> gradients = new LinkedHashMap<>();
            for (String name : probes) {
                gradients.put(name, model.parameters().get(name).getGradient().toDoubleArray());
            }
            int checked = 0;
            for (String name : probes) {
                NDArray p = model.parameters().get(name);
                double[] grad = gradients.get(name);
                long n = p.size();
                for (long flat : new long[] {0, n / 3, n - 1}) {
                    double analytic = grad[(int) flat];
                    double numeric = finiteDifference(model, batch, m, p, flat);
                    assertEquals(numeric, analytic, 1e-6 + 1e-5 * Math.abs(numeric),
                            config.architecture() + " " + name + "[" + flat + "]");
                    checked += Math.abs(numeric) > 1e-6 ? 1 : 0;
                }
            }
            assertTrue(checked >= probes.length, "most probes must have a non-zero gradient, got " + checked);
        }
    }

    /** Sum over real target positions of log p(next token); targets are the sequence shifted by one. */
    private static NDArray objective(CausalLM model, PaddedBatch batch, NDManager m) {
        NDArray ids = batch.idsArray(m);
        NDArray hidden = model.forward(ids, batch.maskArray(m), batch.positionsArray(m), null, 0);   // [B, T, H]
        long t = batch.width();
        NDArray targets = ids.get(new NDIndex(":, 1:"));                                             // [B, T-1]
        NDArray inputs = hidden.get(new NDIndex(":, :{}, :", t - 1));                               // [B, T-1, H]
        NDArray logp = TokenLogProbs.compute(inputs, model.lmHead(), targets, 1.0, false, 64).logProbs(); // [B, T-1]
        NDArray mask = batch.maskArray(m).get(new NDIndex(":, 1:")).toType(DataType.FLOAT64, false);
        return logp.mul(mask).sum();
    }

    private static double finiteDifference(CausalLM model, PaddedBatch batch, NDManager m, NDArray p, long flat) {
        double h = 1e-5;
        Shape shape = p.getShape();
        NDIndex at = new NDIndex(shape.dimension() == 1 ? "{}" : "{}, {}",
                shape.dimension() == 1 ? new Object[] {flat} : new Object[] {flat / shape.get(1), flat % shape.get(1)});
        double original = p.get(at).getDouble();
        double[] values = new double[2];
        for (int side = 0; side < 2; side++) {
            p.set(at, original + (side == 0 ? h : -h));
            try (NDScope ignored = new NDScope()) {
                values[side] = objective(model, batch, m).getDouble();
            }
        }
        p.set(at, original);
        return (values[0] - values[1]) / (2 * h);
    }
}
