package io.zero4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.zero4j.rollout.batching.ScoredToken;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/completions}: OpenAI's legacy completions. {@code prompt} is a string, a list of
 * strings, a list of token ids or a list of such lists; {@code echo} puts the prompt before the
 * completion, and with {@code logprobs} scores its tokens too ({@code max_tokens: 0} then only
 * scores, as an on-policy distillation teacher is asked to).
 */
final class CompletionsEndpoint {
    static final int DEFAULT_MAX_TOKENS = 16;
    static final int MAX_TOP_LOGPROBS = 20;
    private final ServedModel served;
    private final long heartbeatMillis;

    CompletionsEndpoint(ServedModel served, long heartbeatMillis) {
        this.served = served;
        this.heartbeatMillis = heartbeatMillis;
    }

    void handle(Context ctx) {
        RequestFields f = RequestFields.parse(ctx.body());
        SamplingRequest s = SamplingRequest.read(f, "max_tokens");
        List<int[]> prompts = new ArrayList<>();
        List<String> promptTexts = new ArrayList<>();
        readPrompts(f.node("prompt"), prompts, promptTexts);
        int logprobs = (int) f.integer("logprobs", -1, 0, MAX_TOP_LOGPROBS);
        boolean echo = f.bool("echo", false);
        f.integer("best_of", s.n(), s.n(), s.n());
        if (f.string("suffix", null) != null) {
            throw ApiError.invalid("suffix", "'suffix' (insertion) is not supported by zero4j serve");
        }
        f.rejectUnknown();
        served.check(s.model());
        int maxTokens = s.maxTokens() == null ? DEFAULT_MAX_TOKENS : s.maxTokens();
        if (maxTokens == 0 && !echo) {
            throw ApiError.invalid("max_tokens", "'max_tokens' may be 0 only with 'echo': true (scoring the prompt)");
        }
        prompts.forEach(p -> served.checkFits(p, maxTokens, "max_tokens"));
        Generations g = Generations.start(served.batcher, prompts, s.n(), s.params(maxTokens), Math.max(0, logprobs),
                echo && logprobs >= 0);
        CompletionsAnswer answer = new CompletionsAnswer(served, s, prompts, promptTexts, echo, logprobs, maxTokens == 0);
        Responses.run(ctx, served, g, s.stream(), heartbeatMillis, answer);
    }

    private void readPrompts(JsonNode node, List<int[]> ids, List<String> texts) {
        if (node == null) {
            throw ApiError.invalid("prompt", "'prompt' is required");
        }
        if (node.isTextual()) {
            texts.add(node.asText());
        } else if (node.isArray() && node.size() > 0 && node.get(0).isIntegralNumber()) {
            ids.add(tokenIds(node));
        } else if (node.isArray() && node.size() > 0 && node.size() <= SamplingRequest.MAX_CHOICES) {
            for (JsonNode p : node) {
                if (p.isTextual()) {
                    texts.add(p.asText());
                } else if (p.isArray()) {
                    ids.add(tokenIds(p));
                } else {
                    throw ApiError.invalid("prompt", "each prompt must be a string or a list of token ids");
                }
            }
        } else {
            throw ApiError.invalid("prompt", "'prompt' must be a string, a list of strings or of token id lists (at most "
                    + SamplingRequest.MAX_CHOICES + ")");
        }
        if (!ids.isEmpty() && !texts.isEmpty()) {
            throw ApiError.invalid("prompt", "give prompts as text or as token ids, not both");
        }
        if (ids.isEmpty()) {
            texts.forEach(t -> ids.add(served.policy.encode(t)));
        } else {
            ids.forEach(p -> texts.add(served.policy.decode(p)));
        }
    }

    private int[] tokenIds(JsonNode list) {
        int vocab = served.policy.model().config().vocabSize();
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode t = list.get(i);
            if (!t.isIntegralNumber() || t.asLong() < 0 || t.asLong() >= vocab) {
                throw ApiError.invalid("prompt", "token ids must be integers in [0, " + vocab + "), got " + t);
            }
            out[i] = t.asInt();
        }
        return out;
    }

    /** The answer's JSON, whole or as stream chunks. */
    static final class CompletionsAnswer implements Responses.Answer {
        private final ServedModel served;
        private final SamplingRequest request;
        private final List<int[]> prompts;
        private final List<String> promptTexts;
        private final boolean echo;
        private final int logprobs;
        private final boolean scoreOnly;
        private final List<List<ScoredToken>> promptScores = new ArrayList<>();
        private final String id = Responses.newId("cmpl-");

        CompletionsAnswer(ServedModel served, SamplingRequest request, List<int[]> prompts, List<String> promptTexts,
                          boolean echo, int logprobs, boolean scoreOnly) {
            this.served = served;
            this.request = request;
            this.prompts = prompts;
            this.promptTexts = promptTexts;
            this.echo = echo;
            this.logprobs = logprobs;
            this.scoreOnly = scoreOnly;
            prompts.forEach(p -> promptScores.add(null));
        }

        @Override
        public SamplingRequest request() {
            return request;
        }

        @Override
        public void promptScored(int prompt, List<ScoredToken> tokens) {
            promptScores.set(prompt, tokens);
        }

        private ObjectNode envelope(String object) {
            return Responses.envelope(served, id, object);
        }

        /** The echoed prompt's logprobs, or an empty list, for choice {@code choice}. */
        private LegacyLogProbs startLogProbs(int choice, int offset) {
            LegacyLogProbs lp = new LegacyLogProbs(served, logprobs > 0, offset);
            List<ScoredToken> scored = promptScores.get(choice / request.n());
            if (echo && scored != null) {
                lp.addUnscored(prompts.get(choice / request.n())[0]);
                scored.forEach(lp::add);
            }
            return lp;
        }

        @Override
        public String whole(List<ChoiceText> choices) {
            ObjectNode o = envelope("text_completion");
            ArrayNode array = o.putArray("choices");
            long completionTokens = 0;
            for (int c = 0; c < choices.size(); c++) {
                ChoiceText t = choices.get(c);
                String prefix = echo ? promptTexts.get(c / request.n()) : "";
                ObjectNode choice = array.addObject();
                choice.put("index", c);
                choice.put("text", prefix + (scoreOnly ? "" : t.visibleText()));
                if (logprobs >= 0) {
                    LegacyLogProbs lp = startLogProbs(c, 0);
                    if (!scoreOnly) {
                        t.shownTokens().forEach(lp::add);
                    }
                    choice.set("logprobs", lp.node);
                } else {
                    choice.putNull("logprobs");
                }
                choice.put("finish_reason", t.completion.finishReason().wireName());
                choice.put("stop_reason", t.stopReason());
                completionTokens += scoreOnly ? 0 : t.completion.length();
            }
            o.set("usage", Responses.usage(prompts, completionTokens));
            return o.toString();
        }

        @Override
        public List<String> first(int choice) {
            if (!echo) {
                return List.of();
            }
            return List.of(chunk(choice, promptTexts.get(choice / request.n()),
                    logprobs >= 0 ? startLogProbs(choice, 0).node : null, null).toString());
        }

        @Override
        public String delta(int choice, String text, ScoredToken token) {
            if (scoreOnly) {
                return null;
            }
            LegacyLogProbs lp = logprobs >= 0 && token != null ? new LegacyLogProbs(served, logprobs > 0, 0) : null;
            if (lp != null) {
                lp.add(token);
            }
            return chunk(choice, text, lp == null ? null : lp.node, null).toString();
        }

        @Override
        public String last(int choice, String text, ChoiceText t) {
            return chunk(choice, scoreOnly ? "" : text, null, t.completion.finishReason().wireName()).toString();
        }

        private ObjectNode chunk(int choice, String text, JsonNode logprobsNode, String finish) {
            ObjectNode o = envelope("text_completion");
            ObjectNode c = o.putArray("choices").addObject();
            c.put("index", choice);
            c.put("text", text);
            c.set("logprobs", logprobsNode);
            c.put("finish_reason", finish);
            return o;
        }

        @Override
        public String usageChunk(long completionTokens) {
            return Responses.usageChunk(served, id, "text_completion", prompts, scoreOnly ? 0 : completionTokens);
        }
    }
}
