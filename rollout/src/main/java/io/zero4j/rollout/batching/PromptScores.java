package io.zero4j.rollout.batching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Each prompt token's log-probability given the tokens before it (OpenAI's {@code echo} with
 * {@code logprobs}; an on-policy distillation teacher scores a student's tokens this way), from the
 * prefill's hidden states, a chunk of positions at a time so the logits never take more than
 * {@code CHUNK x V} floats.
 */
final class PromptScores {
    private static final int CHUNK = 64;

    private PromptScores() {
    }

    /**
     * From {@code hidden [1, L, H]} of {@code prompt} (length L): L - 1 scored tokens, entry i for
     * token i + 1, each with its {@code top} most likely alternatives, at {@code temperature}.
     */
    static List<ScoredToken> of(CausalLM model, NDArray hidden, int[] prompt, int top, double temperature) {
        int vocab = model.config().vocabSize();
        List<ScoredToken> out = new ArrayList<>(prompt.length - 1);
        for (int from = 0; from < prompt.length - 1; from += CHUNK) {
            int to = Math.min(prompt.length - 1, from + CHUNK);
            try (NDScope ignored = new NDScope()) {
                NDArray logits = model.logits(hidden.get(new NDIndex("0, {}:{}", from, to)))
                        .toType(DataType.FLOAT32, false);                                      // [c, V]
                NDArray scaled = temperature == 1.0 ? logits : logits.div(temperature);
                NDArray rowMax = scaled.max(new int[] {-1}, true);                             // [c, 1]
                float[] logNormaliser = scaled.sub(rowMax).exp().sum(new int[] {-1}).log()
                        .add(rowMax.squeeze(-1)).toFloatArray();                                // [c]
                FloatBuffer values = logits.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int i = from; i < to; i++) {
                    int row = i - from;
                    out.add(TopTokens.scored(prompt[i + 1], values, row * vocab, vocab, top, temperature, logNormaliser[row]));
                }
            }
        }
        return out;
    }
}
