package io.zero4j.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prompt.use_chat_template}: the template becomes the user's message of the model's chat template. */
class ChatPromptTest {
    private static final String CHAT = "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content | trim }}<|end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|assistant|>\n{% endif %}";

    @TempDir
    Path dir;

    private RunConfig config(boolean chat) {
        ObjectNode tree = RunConfigLoader.MAPPER.createObjectNode();
        tree.putObject("model").put("path", dir.toString());
        tree.putObject("dataset").put("path", "train.jsonl");
        tree.putObject("prompt").put("template", "Solve: {problem} ").put("think_prefilled", false).put("use_chat_template", chat);
        return RunConfigLoader.resolve(tree, List.of(), "run.json");
    }

    @Test
    void theTemplateIsWrappedOnceKeepingTheProblemSlot() throws Exception {
        Files.writeString(dir.resolve("chat_template.jinja"), CHAT);
        RunConfig resolved = ChatPrompt.resolve(config(true), dir);
        assertEquals("<|user|>\nSolve: {problem}<|end|>\n<|assistant|>\n", resolved.prompt().template());
        assertFalse(resolved.prompt().useChatTemplate(), "resolved once: resolving again changes nothing");
        assertSame(resolved, ChatPrompt.resolve(resolved, dir));
        RunConfig plain = config(false);
        assertSame(plain, ChatPrompt.resolve(plain, dir), "off: the template as written");
    }

    @Test
    void aModelWithoutOneOrATemplateThatDropsTheMessageIsOneLine() throws Exception {
        UserInputException none = assertThrows(UserInputException.class, () -> ChatPrompt.resolve(config(true), dir));
        assertTrue(none.getMessage().contains("key 'prompt.use_chat_template'") && none.getMessage().contains("has no chat template"),
                none.getMessage());
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ bos_token }}<|assistant|>");
        UserInputException dropped = assertThrows(UserInputException.class, () -> ChatPrompt.resolve(config(true), dir));
        assertTrue(dropped.getMessage().contains("drops the user's message"), dropped.getMessage());
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ raise_exception('no system role') }}");
        UserInputException raised = assertThrows(UserInputException.class, () -> ChatPrompt.resolve(config(true), dir));
        assertTrue(raised.getMessage().contains("fails") && raised.getMessage().contains("no system role"), raised.getMessage());
    }
}
