package io.zero4j.serve;

import io.zero4j.model.chat.ChatTemplate;
import io.zero4j.rollout.batching.ContinuousBatcher;
import io.zero4j.trainer.policy.Policy;
import java.util.Optional;

/**
 * The one model a server serves: the policy, its continuous batcher, its chat template (if its
 * tokenizer_config.json has one) and the id clients name it by.
 */
final class ServedModel implements AutoCloseable {
    final String id;
    final Policy policy;
    final ContinuousBatcher batcher;
    final Optional<ChatTemplate> chatTemplate;
    final long created = System.currentTimeMillis() / 1000;

    ServedModel(String id, Policy policy, Optional<ChatTemplate> chatTemplate, int maxRows, int maxWaiting) {
        this.id = id;
        this.policy = policy;
        this.chatTemplate = chatTemplate;
        this.batcher = new ContinuousBatcher(policy.model(), policy.detokenizer(), policy.eosIds(), maxRows, maxWaiting);
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
                    + prompt.length + " and " + maxTokensField + " asks for " + maxTokens);
        }
    }

    /** Stops the batcher (what runs is failed); the caller closes the policy. */
    @Override
    public void close() {
        batcher.close();
    }
}
