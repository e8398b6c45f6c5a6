package io.zero4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few autograd controls DJL's engine-neutral API lacks. PyTorch's grad mode is per thread and
 * on by default in new threads: sampling threads switch it off so no graph is recorded.
 */
public final class Autograd {
    static {
        Engine.getEngine("PyTorch"); // loads the native library before any JniUtils call
    }

    private Autograd() {
    }

    /** Sets the gradients of the given parameters to zero in place (they accumulate otherwise). */
    public static void zeroGradients(Iterable<NDArray> parameters) {
        for (NDArray p : parameters) {
            if (p.hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }

    /** Records no autograd graph for work done on the calling thread from now on. */
    public static void disableOnThisThread() {
        JniUtils.setGradMode(false);
    }

    public static void setEnabledOnThisThread(boolean enabled) {
        JniUtils.setGradMode(enabled);
    }

    public static boolean enabledOnThisThread() {
        return JniUtils.isGradMode();
    }
}
