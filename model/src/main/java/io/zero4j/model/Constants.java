package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Arithmetic with a constant that autograd may keep. DJL's {@code mul(Number)}, {@code div(Number)},
 * {@code pow(Number)}, {@code maximum(Number)} and {@code minimum(Number)} wrap the number in a
 * scalar array whose memory is a Java direct buffer, do the op, and close the array, which lets the
 * buffer be garbage-collected. Autograd saves that scalar for the backward pass of a product or
 * quotient, so a backward run after a collection reads freed memory: gradients that are garbage,
 * NaN, or plausible and wrong, depending on what the memory holds by then (found 2026-12-04: a
 * collector thread running beside {@code MicroBatchGradientTest} broke every gradient; without one,
 * about 1 in 50 under load). The constants here live in libtorch's memory, which the saved copy keeps
 * alive. Use these in any pass that records gradients; {@code add} and {@code sub} with a number are
 * safe (their backward keeps no operand), as is {@code clip} (native scalars). A constant that lives
 * as long as a model (the attention scale, LoRA's scaling) is made once with {@link #scalar} and
 * multiplied as an array, so the decode loop allocates nothing for it.
 */
public final class Constants {
    private Constants() {
    }

    /** {@code x * v}. */
    public static NDArray times(NDArray x, double v) {
        try (NDArray c = scalar(x.getManager(), v)) {
            return x.mul(c);
        }
    }

    /** {@code x / v}. */
    public static NDArray over(NDArray x, double v) {
        try (NDArray c = scalar(x.getManager(), v)) {
            return x.div(c);
        }
    }

    /**
     * A 0-d float64 array of {@code v} in libtorch's memory, in {@code manager}: as DJL makes it from
     * a number (so the arithmetic and its type promotion are DJL's), then copied out of the Java buffer.
     */
    public static NDArray scalar(NDManager manager, double v) {
        try (NDArray javaOwned = manager.create(v)) {
            return javaOwned.duplicate();
        }
    }
}
