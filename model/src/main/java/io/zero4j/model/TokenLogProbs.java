package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * Log-probabilities (natural log, over the full vocabulary) of chosen target tokens, and
 * optionally the entropy of each position's distribution, computed a chunk of rows at a time so
 * that {@code [B, T, vocab]} logits never exist at once: a chunk holds at most
 * {@code maxChunkElements} logits. The log-probabilities are differentiable (gradients flow to the
 * hidden states and the output projection); the entropies are detached, a metric.
 */
public final class TokenLogProbs {
    /** 2^25 logits (128 MiB in float32) per chunk: about 220 rows at a 152k vocabulary. */
    public static final long DEFAULT_CHUNK_ELEMENTS = 1L << 25;

    /** Per-token results, each {@code [B, T]}; {@code entropies} is null unless asked for. */
    public record Result(NDArray logProbs, NDArray entropies) {
    }

    private TokenLogProbs() {
    }

    /**
     * @param hidden      {@code [B, T, H]} final-normed hidden states
     * @param lmHead      {@code [V, H]} output projection
     * @param targets     {@code [B, T]} int64 token ids whose log-probabilities are wanted
     * @param temperature logits are divided by it before the softmax (1 for the raw model)
     */
    public static Result compute(NDArray hidden, NDArray lmHead, NDArray targets, double temperature,
                                 boolean withEntropy, long maxChunkElements) {
        long b = hidden.getShape().get(0);
        long t = hidden.getShape().get(1);
        long h = hidden.getShape().get(2);
        long vocab = lmHead.getShape().get(0);
        long rows = b * t;
        long chunk = Math.max(1, Math.min(rows, maxChunkElements / vocab));
        NDArray flatHidden = hidden.reshape(rows, h);                                // [N, H]
        NDArray flatTargets = targets.reshape(rows, 1);                              // [N, 1]
        NDArray headT = lmHead.transpose();                                          // [H, V]
        NDList logProbs = new NDList();
        NDList entropies = new NDList();
        for (long start = 0; start < rows; start += chunk) {
            long stop = Math.min(rows, start + chunk);
            // Each chunk's [n, V] arrays are let go as soon as it is done: autograd keeps the one it needs
            // (the log-softmax), and the logits and the entropy's temporaries would otherwise live until the
            // caller's scope closes, several chunks' worth at once.
            try (NDScope ignored = new NDScope()) {
                NDIndex range = new NDIndex("{}:{}", start, stop);
                NDArray logSoftmax = logSoftmax(flatHidden.get(range), headT, temperature); // [n, V]
                NDArray picked = logSoftmax.gather(flatTargets.get(range), 1);        // [n, 1]
                NDScope.unregister(picked);
                logProbs.add(picked);                                                 // registered below
                if (withEntropy) { // a metric: detached, so autograd saves nothing more for it
                    NDArray detached = logSoftmax.stopGradient();
                    NDArray entropy = detached.exp().mul(detached).sum(new int[] {-1}, true).neg(); // [n, 1]
                    NDScope.unregister(entropy);
                    entropies.add(entropy);
                }
            }
        }
        logProbs.forEach(NDScope::register); // the chunks' results belong to the caller's scope
        entropies.forEach(NDScope::register);
        NDArray lp = concat(logProbs).reshape(b, t);                                  // [B, T]
        NDArray ent = withEntropy ? concat(entropies).reshape(b, t) : null;           // [B, T]
        return new Result(lp, ent);
    }

    /** {@code [n, H] -> [n, V]}: log-softmax of the rows' logits at {@code temperature}; {@code headT} is {@code [H, V]}. */
    static NDArray logSoftmax(NDArray rows, NDArray headT, double temperature) {
        NDArray logits = rows.matMul(headT);                                          // [n, V]
        return (temperature != 1.0 ? Constants.over(logits, temperature) : logits).logSoftmax(-1);
    }

    private static NDArray concat(NDList parts) {
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }
}
