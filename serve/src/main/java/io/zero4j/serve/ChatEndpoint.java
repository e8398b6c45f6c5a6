package io.zero4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.zero4j.model.chat.ChatTemplate;
import io.zero4j.model.chat.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/chat/completions}: the messages rendered with the model's own chat template
 * (tokenizer_config.json's {@code chat_template}, with the generation prompt), then sampled as a
 * completion of that text. {@code chat_template_kwargs} (vLLM's name) passes variables such as
 * {@code enable_thinking} to the template. Tools are refused: the reply is not parsed for calls.
 */
final class ChatEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServedModel served;
    private final long heartbeatMillis;

    ChatEndpoint(ServedModel served, long heartbeatMillis) {
        this.served = served;
        this.heartbeatMillis = heartbeatMillis;
    }

    void handle(Context ctx) {
        RequestFields f = RequestFields.parse(ctx.body());
        SamplingRequest s = SamplingRequest.read(f, "max_tokens", "max_completion_tokens");
        List<Map<String, Object>> messages = messages(f.node("messages"));
        boolean logprobs = f.bool("logprobs", false);
        int top = (int) f.integer("top_logprobs", 0, 0, CompletionsEndpoint.MAX_TOP_LOGPROBS);
        if (top > 0 && !logprobs) {
            throw ApiError.invalid("top_logprobs", "'top_logprobs' needs 'logprobs': true");
        }
        Map<String, Object> variables = templateVariables(f.node("chat_template_kwargs"));
        boolean addGenerationPrompt = f.bool("add_generation_prompt", true);
        refuseUnsupported(f);
        f.rejectUnknown();
        served.check(s.model());
        ChatTemplate template = served.chatTemplate.orElseThrow(() -> ApiError.invalid("messages",
                served.noChatTemplate + "; use /v1/completions"));
        String rendered;
        try {
            rendered = template.render(messages, addGenerationPrompt, variables);
        } catch (TemplateException e) {
            throw ApiError.invalid("messages", "the chat template refused the messages: " + e.getMessage());
        }
        int[] prompt = served.policy.encode(rendered);
        int maxTokens = s.maxTokens() == null ? served.context() - prompt.length : s.maxTokens();
        served.checkFits(prompt, maxTokens, s.maxTokens() == null ? "messages" : "max_tokens");
        if (maxTokens == 0) {
            throw ApiError.invalid("max_tokens", "'max_tokens' must be at least 1");
        }
        Generations g = Generations.start(served.batcher, List.of(prompt), s.n(), s.params(maxTokens), top, false);
        Responses.run(ctx, served, g, s.stream(), heartbeatMillis, new ChatAnswer(served, s, prompt, logprobs));
    }

    private static List<Map<String, Object>> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.invalid("messages", "'messages' must be a non-empty list of {role, content} objects");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode m : node) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ApiError.invalid("messages", "each message needs a string 'role'");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> message = JSON.convertValue(m, LinkedHashMap.class);
            message.put("content", text(m.get("content")));
            out.add(message);
        }
        return out;
    }

    /** A message's content: a string, or the text parts of a list joined (other parts are refused). */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.invalid("messages", "only text content parts are supported, got " + part.path("type"));
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw ApiError.invalid("messages", "'content' must be a string or a list of text parts");
    }

    private static Map<String, Object> templateVariables(JsonNode kwargs) {
        if (kwargs == null) {
            return Map.of();
        }
        if (!kwargs.isObject()) {
            throw ApiError.invalid("chat_template_kwargs", "'chat_template_kwargs' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = JSON.convertValue(kwargs, LinkedHashMap.class);
        return vars;
    }

    private static void refuseUnsupported(RequestFields f) {
        for (String name : new String[] {"tools", "tool_choice", "functions", "function_call"}) {
            if (f.node(name) != null) {
                throw ApiError.invalid(name, "'" + name + "' is not supported by zero4j serve: replies are not parsed for calls");
            }
        }
        f.bool("parallel_tool_calls", true);
        JsonNode format = f.node("response_format");
        if (format != null && !"text".equals(format.path("type").asText())) {
            throw ApiError.invalid("response_format", "only {\"type\": \"text\"} is supported by zero4j serve");
        }
    }
}
