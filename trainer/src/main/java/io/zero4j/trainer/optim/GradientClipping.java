package io.zero4j.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Collection;

/** Clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * The global L2 norm of all gradients; when it exceeds {@code maxNorm} (> 0) the gradients are
     * scaled by {@code maxNorm / (norm + 1e-6)}. A NaN or infinite norm is returned untouched so the
     * caller can skip the step.
     */
    public static double clip(Collection<NDArray> parameters, double maxNorm) {
        double sumSquares = 0;
        for (NDArray p : parameters) {
            try (NDScope ignored = new NDScope()) {
                sumSquares += p.getGradient().square().sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (Double.isFinite(norm) && maxNorm > 0 && norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            for (NDArray p : parameters) {
                try (NDScope ignored = new NDScope()) {
                    p.getGradient().muli(scale);
                }
            }
        }
        return norm;
    }
}
