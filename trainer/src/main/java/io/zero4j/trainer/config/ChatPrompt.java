package io.zero4j.trainer.config;

import io.zero4j.model.UserInputException;
import io.zero4j.model.chat.ChatTemplate;
import io.zero4j.model.chat.TemplateException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code prompt.use_chat_template}: the prompt template rendered once as a user message by a
 * model's chat template ({@code tokenizer.apply_chat_template(..., add_generation_prompt=True)}),
 * keeping {@code {problem}} to fill per problem, so sampling, evaluation and Spark executors all
 * see one plain template.
 */
public final class ChatPrompt {
    private ChatPrompt() {
    }

    /**
     * {@code config} with its prompt template wrapped by the chat template of {@code tokenizerDir}
     * (and {@code use_chat_template} then false); {@code config} itself when the key is off. A model
     * without a chat template, or one that fails to render, is one line naming the key.
     */
    public static RunConfig resolve(RunConfig config, Path tokenizerDir) {
        RunConfig.Prompt p = config.prompt();
        if (!p.useChatTemplate()) {
            return config;
        }
        String rendered = wrap(p.template(), tokenizerDir, "key 'prompt.use_chat_template'");
        return new RunConfig(config.model(), config.dataset(), new RunConfig.Prompt(rendered, p.thinkPrefilled(), false),
                config.rewards(), config.sampling(), config.algorithm(), config.optim(), config.run(), config.rollout(),
                config.teacher(), config.distill(), config.sft(), config.comparison());
    }

    /**
     * {@code template} (holding {@code {problem}}) as the user's message of the chat template of
     * {@code tokenizerDir}, generation prompt added; {@code what} names the setting in an error.
     */
    public static String wrap(String template, Path tokenizerDir, String what) {
        String rendered;
        try {
            ChatTemplate chat = ChatTemplate.fromTokenizerFolder(tokenizerDir).orElseThrow(() -> new UserInputException(what + ": "
                    + tokenizerDir + " has no chat template (chat_template.jinja, or chat_template in tokenizer_config.json)"));
            rendered = chat.render(List.of(Map.of("role", "user", "content", template)), true, Map.of());
        } catch (TemplateException e) {
            throw new UserInputException(what + ": the chat template of " + tokenizerDir + " fails: " + e.getMessage());
        }
        if (!rendered.contains("{problem}")) {
            throw new UserInputException(what + ": the chat template of " + tokenizerDir + " drops the user's message");
        }
        return rendered;
    }
}
