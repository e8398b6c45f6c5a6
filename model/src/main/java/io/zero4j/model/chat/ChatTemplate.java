package io.zero4j.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's chat template, the way {@code tokenizer.apply_chat_template(messages, tokenize=False)}
 * renders it: the Jinja source from a tokenizer folder plus its special tokens, given the
 * conversation, {@code add_generation_prompt}, {@code tools} and {@code documents} (None unless
 * given) and any extra variables such as {@code enable_thinking}.
 */
public final class ChatTemplate {
    private static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "unk_token", "pad_token");

    private final JinjaTemplate template;
    private final Map<String, Object> specialTokens;

    private ChatTemplate(JinjaTemplate template, Map<String, Object> specialTokens) {
        this.template = template;
        this.specialTokens = specialTokens;
    }

    /** A chat template from its source and special tokens ({@code bos_token} and the like); fails on a syntax error. */
    public static ChatTemplate of(String source, Map<String, String> specialTokens) {
        return new ChatTemplate(JinjaTemplate.compile(source), new LinkedHashMap<>(specialTokens));
    }

    /**
     * The chat template of a tokenizer folder: {@code chat_template.jinja} if present (as newer
     * transformers save it), else {@code chat_template} of {@code tokenizer_config.json} (a string,
     * or a list of {@code {name, template}} of which {@code default} is taken); empty when the
     * model has none; a template that does not compile throws {@link TemplateException}. The
     * config's {@code bos_token}, {@code eos_token}, {@code unk_token} and
     * {@code pad_token} (strings or {@code {content: ...}}) become template variables.
     */
    public static Optional<ChatTemplate> fromTokenizerFolder(Path dir) {
        Path config = dir.resolve("tokenizer_config.json");
        Path jinja = dir.resolve("chat_template.jinja");
        JsonNode root = Files.isRegularFile(config) ? readJson(config) : null;
        String source = Files.isRegularFile(jinja) ? readText(jinja) : root == null ? null : templateOf(root, config);
        if (source == null) {
            return Optional.empty();
        }
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (String name : SPECIAL_TOKENS) {
            JsonNode token = root == null ? null : root.get(name);
            JsonNode content = token != null && token.isObject() ? token.get("content") : token;
            if (content != null && content.isTextual()) {
                tokens.put(name, content.asText());
            }
        }
        return Optional.of(new ChatTemplate(JinjaTemplate.compile(source), tokens));
    }

    private static String templateOf(JsonNode root, Path config) {
        JsonNode t = root.get("chat_template");
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode entry : t) {
                String name = entry.path("name").asText();
                if (name.equals("default") && entry.path("template").isTextual()) {
                    return entry.get("template").asText();
                }
                names.add(name);
            }
            throw new UserInputException(config + ": chat_template has templates " + names + " but none named 'default'");
        }
        throw new UserInputException(config + ": chat_template must be a string or a list of {name, template}");
    }

    /**
     * Renders the conversation. {@code messages} are maps such as {@code {role, content}} (plus
     * {@code tool_calls}, {@code reasoning_content}...); {@code extraVariables} (may be empty) adds or
     * overrides template variables, e.g. {@code tools} or {@code enable_thinking}.
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt,
            Map<String, ?> extraVariables) {
        Map<String, Object> variables = new LinkedHashMap<>(specialTokens);
        variables.put("messages", messages);
        variables.put("tools", null);
        variables.put("documents", null);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.putAll(extraVariables);
        return template.render(variables);
    }

    /** The Jinja source of the template. */
    public String source() {
        return template.source();
    }

    /** The special tokens the template sees, such as {@code eos_token}. */
    public Map<String, Object> specialTokens() {
        return Map.copyOf(specialTokens);
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UserInputException(file + " is not readable JSON: " + e.getMessage(), e);
        }
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException(file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
