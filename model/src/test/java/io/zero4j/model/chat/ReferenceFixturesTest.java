package io.zero4j.model.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.testing.RepoData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real models' chat templates (Qwen3 from {@code data/tokenizers/qwen3}; Qwen2.5-Instruct,
 * DeepSeek-R1-Distill-Qwen, Phi-4-mini-instruct and SmolLM2-Instruct from the fixtures) render each
 * conversation of {@code chat/cases.json} byte for byte as {@code @huggingface/jinja} renders it:
 * the expected files are that engine's output, written and checked in CI by
 * {@code scripts/chat-templates/render-reference.mjs}.
 */
class ReferenceFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The repository root: the folder above {@code data/}. */
    private static final Path REPO = RepoData.file("README.md").getParent().getParent();

    @TestFactory
    Stream<DynamicTest> everyCaseRendersAsTheReferenceEngine() throws IOException {
        Path fixtures = REPO.resolve("model/src/test/resources/chat");
        JsonNode cases = JSON.readTree(fixtures.resolve("cases.json").toFile());
        assertTrue(cases.size() >= 16, "cases.json lists " + cases.size() + " cases");
        return Stream.iterate(0, i -> i < cases.size(), i -> i + 1).map(cases::get).map(c -> DynamicTest.dynamicTest(
                c.get("name").asText(), () -> assertEquals(expected(fixtures, c), rendered(fixtures, c))));
    }

    private static String rendered(Path fixtures, JsonNode testCase) throws IOException {
        ChatTemplate template = ChatTemplate.fromTokenizerFolder(REPO.resolve(testCase.get("tokenizer").asText()))
                .orElseThrow(() -> new AssertionError(testCase + " names a folder without a chat template"));
        JsonNode conversation = JSON.readTree(fixtures.resolve("conversations").resolve(testCase.get("conversation").asText()).toFile());
        Map<String, Object> extra = new LinkedHashMap<>();
        if (conversation.has("tools")) {
            extra.put("tools", Json.toPlain(conversation.get("tools")));
        }
        if (testCase.has("variables")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = (Map<String, Object>) Json.toPlain(testCase.get("variables"));
            extra.putAll(variables);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) Json.toPlain(conversation.get("messages"));
        return template.render(messages, testCase.get("add_generation_prompt").asBoolean(), extra);
    }

    private static String expected(Path fixtures, JsonNode testCase) throws IOException {
        return Files.readString(fixtures.resolve(testCase.get("name").asText() + ".expected.txt"), StandardCharsets.UTF_8);
    }
}
