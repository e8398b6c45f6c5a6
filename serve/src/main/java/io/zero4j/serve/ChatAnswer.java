package io.zero4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.rollout.batching.ScoredToken;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The chat endpoint's answer: {@code chat.completion} with an assistant message per choice, or
 * {@code chat.completion.chunk}s (the role first, then content deltas, then the finish reason);
 * logprobs as {@code {"content": [{token, logprob, bytes, top_logprobs}]}}.
 */
final class ChatAnswer implements Responses.Answer {
    private final ServedModel served;
    private final SamplingRequest request;
    private final int[] prompt;
    private final boolean logprobs;
    private final String id = Responses.newId("chatcmpl-");

    ChatAnswer(ServedModel served, SamplingRequest request, int[] prompt, boolean logprobs) {
        this.served = served;
        this.request = request;
        this.prompt = prompt;
        this.logprobs = logprobs;
    }

    @Override
    public SamplingRequest request() {
        return request;
    }

    private ObjectNode envelope(String object) {
        return Responses.envelope(served, id, object);
    }

    @Override
    public String whole(List<ChoiceText> choices) {
        ObjectNode o = envelope("chat.completion");
        ArrayNode array = o.putArray("choices");
        long completionTokens = 0;
        for (int c = 0; c < choices.size(); c++) {
            ChoiceText t = choices.get(c);
            ObjectNode choice = array.addObject();
            choice.put("index", c);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", t.visibleText());
            choice.set("logprobs", logprobs ? logProbs(t.shownTokens()) : null);
            choice.put("finish_reason", t.completion.finishReason().wireName());
            completionTokens += t.completion.length();
        }
        o.set("usage", Responses.usage(List.of(prompt), completionTokens));
        return o.toString();
    }

    private ObjectNode logProbs(List<ScoredToken> tokens) {
        ObjectNode lp = JsonNodeFactory.instance.objectNode();
        ArrayNode content = lp.putArray("content");
        for (ScoredToken t : tokens) {
            ObjectNode entry = tokenEntry(t.id(), t.logProb());
            ArrayNode top = entry.putArray("top_logprobs");
            for (int i = 0; i < t.topIds().length; i++) {
                top.add(tokenEntry(t.topIds()[i], t.topLogProbs()[i]));
            }
            content.add(entry);
        }
        return lp;
    }

    private ObjectNode tokenEntry(int tokenId, float logProb) {
        String text = served.tokenText(tokenId);
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("token", text);
        e.put("logprob", logProb);
        ArrayNode bytes = e.putArray("bytes");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return e;
    }

    @Override
    public List<String> first(int choice) {
        ObjectNode delta = JsonNodeFactory.instance.objectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        return List.of(chunk(choice, delta, null, null).toString());
    }

    @Override
    public String delta(int choice, String text, ScoredToken token) {
        boolean eos = served.policy.eosIds().contains(token.id());
        if (text.isEmpty() && (!logprobs || eos)) {
            return null;
        }
        ObjectNode delta = JsonNodeFactory.instance.objectNode();
        delta.put("content", text);
        return chunk(choice, delta, logprobs && !eos ? logProbs(List.of(token)) : null, null).toString();
    }

    @Override
    public String last(int choice, String text, ChoiceText t) {
        ObjectNode delta = JsonNodeFactory.instance.objectNode();
        if (!text.isEmpty()) {
            delta.put("content", text);
        }
        return chunk(choice, delta, null, t.completion.finishReason().wireName()).toString();
    }

    private ObjectNode chunk(int choice, ObjectNode delta, JsonNode logprobsNode, String finish) {
        ObjectNode o = envelope("chat.completion.chunk");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", choice);
        c.set("delta", delta);
        c.set("logprobs", logprobsNode);
        c.put("finish_reason", finish);
        return o;
    }

    @Override
    public String usageChunk(long completionTokens) {
        return Responses.usageChunk(served, id, "chat.completion.chunk", List.of(prompt), completionTokens);
    }
}
