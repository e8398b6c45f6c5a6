package io.zero4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.zero4j.model.Autograd;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW} computes it, decay decoupled from the gradient:
 * <pre>
 *   p <- p * (1 - lr * weight_decay)                 (not for biases and norm weights)
 *   m <- beta1 m + (1 - beta1) g ;  v <- beta2 v + (1 - beta2) g^2
 *   p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Moments are float32 tensors beside the parameters. Each parameter is updated inside its own
 * {@code NDScope}, so temporaries never exceed one parameter's size (measured: updating all inside
 * one scope peaked 6 GiB higher on the 0.5B shape), and the gradient's own buffer serves as scratch
 * (it is zeroed after the step anyway): two temporaries per parameter instead of four, with the
 * same arithmetic, value for value ({@code 0 * g + m} is exactly {@code m} for the finite gradients a
 * step is taken with). Float32 parameters on the CPU take {@link FusedAdamW} instead: the same
 * arithmetic in one pass over the four arrays' memory, no temporaries.
 */
public final class AdamW implements Optimizer {
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager stateManager;
    private final boolean fuse;
    private int step;

    public AdamW(Map<String, NDArray> parameters, NDManager stateManager, double beta1, double beta2, double eps,
                 double weightDecay) {
        this(parameters, stateManager, beta1, beta2, eps, weightDecay, true);
    }

    /** {@code fuse = false} keeps every parameter on the op-by-op path (the test compares the two). */
    AdamW(Map<String, NDArray> parameters, NDManager stateManager, double beta1, double beta2, double eps,
          double weightDecay, boolean fuse) {
        this.fuse = fuse;
        this.parameters = parameters;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.stateManager = stateManager;
        parameters.forEach((name, p) -> {
            NDArray m = stateManager.zeros(p.getShape(), p.getDataType());
            NDArray v = stateManager.zeros(p.getShape(), p.getDataType());
            NDScope.unregister(m, v);
            moments.put(name, new NDArray[] {m, v});
        });
    }

    /** Whether a parameter is decayed: not biases, not norm weights (as transformers' Trainer). */
    public static boolean decays(String name) {
        return !name.endsWith(".bias") && !name.endsWith("norm.weight");
    }

    /** Applies one update from the parameters' accumulated gradients, then zeroes them. */
    @Override
    public void step(double lr) {
        step++;
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        parameters.forEach((name, p) -> {
            try (NDScope ignored = new NDScope()) {
                NDArray g = p.getGradient();
                NDArray[] mv = moments.get(name);
                float decay = weightDecay > 0 && decays(name) ? (float) (1 - lr * weightDecay) : 1f;
                if (fuse && FusedAdamW.applies(p, g, mv[0], mv[1])) {
                    FusedAdamW.step(p, g, mv[0], mv[1], new FusedAdamW.Coefficients(decay, (float) beta1, (float) (1 - beta1),
                            (float) beta2, (float) (1 - beta2), (float) bias2Sqrt, (float) eps, (float) (lr / bias1)));
                    return;
                }
                if (decay != 1f) {
                    p.muli(1 - lr * weightDecay);
                }
                mv[1].muli(beta2).addi(g.square().muli(1 - beta2));
                mv[0].muli(beta1).addi(g.muli(1 - beta1)); // the gradient is spent from here: it becomes scratch
                NDArray denominator = mv[1].sqrt().divi(bias2Sqrt).addi(eps);
                p.subi(g.muli(0).addi(mv[0]).divi(denominator).muli(lr / bias1)); // m / denominator, in g's buffer
            }
        });
        Autograd.zeroGradients(parameters.values());
    }

    @Override
    public int stepCount() {
        return step;
    }

    /** Moments by parameter name ({@code name.exp_avg}, {@code name.exp_avg_sq}) for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        moments.forEach((name, mv) -> {
            out.put(name + ".exp_avg", mv[0]);
            out.put(name + ".exp_avg_sq", mv[1]);
        });
        return out;
    }

    /**
     * Restores moments and the step count saved by {@link #state()}. Every moment must be there with
     * its parameter's size, and nothing else; otherwise nothing changes and the exception names the
     * first tensor that differs.
     */
    public void restore(Map<String, float[]> state, int stepCount) {
        Map<String, NDArray> expected = state();
        for (Map.Entry<String, NDArray> e : expected.entrySet()) {
            float[] saved = state.get(e.getKey());
            if (saved == null) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is missing");
            }
            if (saved.length != e.getValue().size()) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has " + saved.length + " values, the model's "
                        + e.getValue().getShape() + " needs " + e.getValue().size());
            }
        }
        for (String name : state.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' belongs to no parameter of this model");
            }
        }
        // New arrays rather than NDArray.set(float[]): that path prints libtorch's AutoNonVariableTypeMode warning.
        moments.forEach((name, mv) -> {
            for (int i = 0; i < 2; i++) {
                NDArray fresh = stateManager.create(state.get(name + (i == 0 ? ".exp_avg" : ".exp_avg_sq")), mv[i].getShape())
                        .toType(mv[i].getDataType(), false);
                NDScope.unregister(fresh);
                mv[i].close();
                mv[i] = fresh;
            }
        });
        step = stepCount;
    }
}
