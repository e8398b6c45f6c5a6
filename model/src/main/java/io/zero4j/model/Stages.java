package io.zero4j.model;

import ai.djl.ndarray.NDArray;

/**
 * The stages of one self-contained pass of a {@link CausalLM} ({@code forward} without a cache) over
 * one batch, for a caller that runs them one at a time: activation checkpointing keeps only each
 * layer's input and recomputes the layer in the backward pass. {@link #embed}, then
 * {@link #layer}{@code (0 .. layers()-1)}, then {@link #finalNorm} is exactly {@code forward}.
 */
public final class Stages {
    private final CausalLM model;
    private final NDArray inputIds;
    private final NDArray bias;
    private final NDArray[] rope;
    private final int length;

    Stages(CausalLM model, NDArray inputIds, NDArray bias, NDArray[] rope) {
        this.model = model;
        this.inputIds = inputIds;
        this.bias = bias;                                                  // [B, 1, T, T]
        this.rope = rope;                                                  // 2 x [B, 1, T, D]
        this.length = Math.toIntExact(inputIds.getShape().get(1));
    }

    public int layers() {
        return model.layerCount();
    }

    /** {@code [B, T, H]}: the token embeddings. */
    public NDArray embed() {
        return model.embedTokens(inputIds);
    }

    /** {@code [B, T, H] -> [B, T, H]}: decoder layer {@code l}. */
    public NDArray layer(int l, NDArray x) {
        return model.layer(l, x, bias, rope, null, 0, length);
    }

    /** {@code [B, T, H] -> [B, T, H]}: the final RMSNorm. */
    public NDArray finalNorm(NDArray x) {
        return model.finalNorm(x);
    }
}
