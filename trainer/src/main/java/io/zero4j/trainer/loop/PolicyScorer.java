package io.zero4j.trainer.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.zero4j.model.CausalLM;
import io.zero4j.model.TokenLogProbs;

/**
 * Per-token log-probabilities (and entropies) of completions under a model, at the sampling
 * temperature, the same convention the rollout reports. Differentiable when the model is.
 */
public final class PolicyScorer {
    private PolicyScorer() {
    }

    /** {@code [B, C]} log-probabilities (and entropies when asked) of the batch's completion tokens. */
    public static TokenLogProbs.Result score(CausalLM model, SequenceBatch b, NDManager m, double temperature,
                                             boolean withEntropy) {
        NDArray hidden = model.forward(b.idsArray(m), b.attentionArray(m), b.positionsArray(m), null, 0); // [B, W+C, H]
        NDArray predicting = hidden.get(new NDIndex(":, {}:{}, :", b.promptWidth() - 1,
                b.promptWidth() - 1 + b.completionWidth()));                                            // [B, C, H]
        return TokenLogProbs.compute(predicting, model.lmHead(), b.completionIdsArray(m), temperature, withEntropy,
                TokenLogProbs.DEFAULT_CHUNK_ELEMENTS);
    }
}
