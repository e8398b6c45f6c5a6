package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Prompt + completion sequences laid out for scoring: the prompts left-padded to a common width W
 * ({@link PaddedBatch#leftPadded}), then the completions right-padded to a width C
 * ({@link PaddedBatch#rightPadded}), so every row's completion starts at column W and its positions
 * continue from its prompt's length. The hidden states at columns {@code W-1 .. W+C-2} predict the
 * completion tokens.
 */
public record CompletionBatch(PaddedBatch prompts, PaddedBatch completions) {

    /** At least one completion must hold a token. */
    public static CompletionBatch of(List<int[]> prompts, List<int[]> completions) {
        PaddedBatch c = PaddedBatch.rightPadded(completions, 0);
        if (c.width() == 0) {
            throw new IllegalArgumentException("every completion is empty: nothing to score");
        }
        return new CompletionBatch(PaddedBatch.leftPadded(prompts, 0), c);
    }

    public int rows() {
        return prompts.rows();
    }

    public int promptWidth() {
        return prompts.width();
    }

    public int completionWidth() {
        return completions.width();
    }

    /** {@code [B, W + C]} token ids (0 on padding). */
    public NDArray idsArray(NDManager m) {
        return prompts.idsArray(m).concat(completions.idsArray(m), 1);
    }

    /** {@code [B, W + C]} 1 on real tokens. */
    public NDArray attentionArray(NDManager m) {
        return prompts.maskArray(m).concat(completions.maskArray(m), 1);
    }

    /** {@code [B, W + C]} RoPE positions counting real tokens only. */
    public NDArray positionsArray(NDManager m) {
        long[] offsets = new long[rows()];
        for (int r = 0; r < offsets.length; r++) {
            offsets[r] = prompts.length(r);
        }
        NDArray shifted = completions.positionsArray(m).add(m.create(offsets, new Shape(rows(), 1)));  // [B, C]
        return prompts.positionsArray(m).concat(shifted, 1);
    }

    /** {@code [B, C]} the completion tokens. */
    public NDArray completionIdsArray(NDManager m) {
        return completions.idsArray(m);
    }

    /** {@code [B, C]} float32, 1 on completion tokens. */
    public float[] completionMask() {
        float[] out = new float[completions.mask().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = completions.mask()[i];
        }
        return out;
    }

    /**
     * {@code [B, C]} log-probabilities (and entropies when asked) of the completion tokens under
     * {@code model} at {@code temperature}, the convention the rollout reports; differentiable when the
     * model is.
     */
    public TokenLogProbs.Result score(CausalLM model, NDManager m, double temperature, boolean withEntropy) {
        NDArray hidden = model.forward(idsArray(m), attentionArray(m), positionsArray(m), null, 0);     // [B, W+C, H]
        NDArray predicting = hidden.get(new NDIndex(":, {}:{}, :", promptWidth() - 1,
                promptWidth() - 1 + completionWidth()));                                              // [B, C, H]
        return TokenLogProbs.compute(predicting, model.lmHead(), completionIdsArray(m), temperature, withEntropy,
                TokenLogProbs.DEFAULT_CHUNK_ELEMENTS);
    }
}
