package io.zero4j.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.rollout.batching.ScoredToken;

/**
 * The completions endpoint's {@code logprobs} object: parallel lists {@code tokens},
 * {@code token_logprobs}, {@code top_logprobs} (a map of token text to log-probability per
 * position, null when none were asked for) and {@code text_offset} (where each token starts in the
 * choice's text).
 */
final class LegacyLogProbs {
    private final ServedModel served;
    private final boolean withTop;
    final ObjectNode node = JsonNodeFactory.instance.objectNode();
    private final ArrayNode tokens = node.putArray("tokens");
    private final ArrayNode logProbs = node.putArray("token_logprobs");
    private final ArrayNode top = node.putArray("top_logprobs");
    private final ArrayNode offsets = node.putArray("text_offset");
    private int offset;

    LegacyLogProbs(ServedModel served, boolean withTop, int startOffset) {
        this.served = served;
        this.withTop = withTop;
        this.offset = startOffset;
    }

    /** The first prompt token, which nothing scores. */
    void addUnscored(int id) {
        String text = served.tokenText(id);
        tokens.add(text);
        logProbs.addNull();
        top.addNull();
        offsets.add(offset);
        offset += text.length();
    }

    void add(ScoredToken t) {
        String text = served.tokenText(t.id());
        tokens.add(text);
        logProbs.add(t.logProb());
        if (withTop) {
            ObjectNode alternatives = top.addObject();
            for (int i = 0; i < t.topIds().length; i++) {
                String key = served.tokenText(t.topIds()[i]);
                if (!alternatives.has(key)) { // two tokens with one text: the likelier stays
                    alternatives.put(key, t.topLogProbs()[i]);
                }
            }
        } else {
            top.addNull();
        }
        offsets.add(offset);
        offset += text.length();
    }
}
