package io.zero4j.serve;

import io.zero4j.model.chat.ChatTemplate;
import io.zero4j.model.chat.TemplateException;
import io.zero4j.rollout.batching.ContinuousBatcher;
import io.zero4j.trainer.policy.Policy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one model a server serves: the policy, its continuous batcher, its chat template (if its
 * folder has one this server can render) and the id clients name it by.
 */
final class ServedModel implements AutoCloseable {
    final String id;
    final Policy policy;
    final ContinuousBatcher batcher;
    final Optional<ChatTemplate> chatTemplate;
    /** Why chat requests are refused, when {@link #chatTemplate} is empty. */
    final String noChatTemplate;
    /** How the start line describes chat: yes, none, or a template this server cannot render. */
    final String chatTemplateState;
    final long created = System.currentTimeMillis() / 1000;

    private ServedModel(String id, Policy policy, Optional<ChatTemplate> chatTemplate, String noChatTemplate,
                        String chatTemplateState, int maxRows, int maxWaiting) {
        this.id = id;
        this.policy = policy;
        this.chatTemplate = chatTemplate;
        this.noChatTemplate = noChatTemplate;
        this.chatTemplateState = chatTemplateState;
        this.batcher = new ContinuousBatcher(policy.model(), policy.detokenizer(), policy.eosIds(), maxRows, maxWaiting);
    }

    /**
     * Serves {@code policy}, loaded from {@code folder}, whose chat template is read from there. A
     * template that does not compile (a Jinja feature the renderer lacks) leaves completions served
     * and chat refused with the reason, which {@code log} also gets at once.
     */
    static ServedModel of(String id, Policy policy, Path folder, int maxRows, int maxWaiting, PrintStream log) {
        try {
            Optional<ChatTemplate> template = ChatTemplate.fromTokenizerFolder(folder);
            return new ServedModel(id, policy, template, "model '" + id + "' has no chat template (chat_template in"
                    + " tokenizer_config.json, or chat_template.jinja)", template.isPresent() ? "yes" : "none", maxRows, maxWaiting);
        } catch (TemplateException e) {
            String why = "the chat template of model '" + id + "' cannot be rendered here: " + e.getMessage();
            log.println("zero4j serve: " + why + "; /v1/chat/completions will refuse, /v1/completions serves");
            return new ServedModel(id, policy, Optional.empty(), why, "not renderable here", maxRows, maxWaiting);
        }
    }

    /** A request naming another model is a 404. */
    void check(String requested) {
        if (!id.equals(requested)) {
            throw ApiError.unknownModel(requested);
        }
    }

    int context() {
        return batcher.context();
    }

    /** One token's text, as the logprobs lists show it. */
    String tokenText(int id) {
        return policy.decode(new int[] {id});
    }

    /** Refuses a prompt that is empty or leaves no room for {@code maxTokens} in the context. */
    void checkFits(int[] prompt, int maxTokens, String maxTokensField) {
        if (prompt.length == 0) {
            throw ApiError.invalid("prompt", "the prompt encodes to no tokens");
        }
        if (prompt.length + Math.max(1, maxTokens) > context()) {
            throw ApiError.invalid(maxTokensField, "This model's maximum context length is " + context() + " tokens; the prompt has "
                    + prompt.length + " and " + maxTokensField + " asks for " + maxTokens
                    + (maxTokens == 0 ? " (scoring a prompt still decodes one token, which is dropped: it needs one position free)" : ""));
        }
    }

    /** Stops the batcher (what runs is failed); the caller closes the policy. */
    @Override
    public void close() {
        batcher.close();
    }
}
