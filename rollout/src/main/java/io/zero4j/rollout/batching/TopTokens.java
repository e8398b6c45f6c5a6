package io.zero4j.rollout.batching;

import java.nio.FloatBuffer;

/** The k largest logits of a row, best first (ties: the lower id first), without sorting the row. */
final class TopTokens {
    private TopTokens() {
    }

    /**
     * The {@code k} most likely tokens of {@code logits[offset, offset + vocab)} with their
     * log-probabilities {@code logit / temperature - logNormaliser}.
     */
    static ScoredToken[] of(FloatBuffer logits, int offset, int vocab, int k, double temperature, double logNormaliser) {
        int[] ids = new int[Math.min(k, vocab)];
        float[] best = new float[ids.length];
        int held = 0;
        for (int v = 0; v < vocab; v++) {
            float x = logits.get(offset + v);
            if (held == ids.length && !(x > best[held - 1])) {
                continue;
            }
            int at = held == ids.length ? held - 1 : held++;
            while (at > 0 && x > best[at - 1]) { // insertion keeps the list sorted, best first
                best[at] = best[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            best[at] = x;
            ids[at] = v;
        }
        ScoredToken[] out = new ScoredToken[held];
        for (int i = 0; i < held; i++) {
            out[i] = new ScoredToken(ids[i], (float) (best[i] / temperature - logNormaliser), ScoredToken.NO_IDS,
                    ScoredToken.NO_LOG_PROBS);
        }
        return out;
    }

    /** {@code token} with the top-k alternatives of its row attached (k = 0: none). */
    static ScoredToken scored(int token, FloatBuffer logits, int offset, int vocab, int k, double temperature,
                              double logNormaliser) {
        float logProb = (float) (logits.get(offset + token) / temperature - logNormaliser);
        if (k == 0) {
            return new ScoredToken(token, logProb, ScoredToken.NO_IDS, ScoredToken.NO_LOG_PROBS);
        }
        ScoredToken[] top = of(logits, offset, vocab, k, temperature, logNormaliser);
        int[] ids = new int[top.length];
        float[] logProbs = new float[top.length];
        for (int i = 0; i < top.length; i++) {
            ids[i] = top[i].id();
            logProbs[i] = top[i].logProb();
        }
        return new ScoredToken(token, logProb, ids, logProbs);
    }
}
