package io.zero4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.testing.RepoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    @TempDir
    Path dir;

    @Test
    void qwen3RoundTripsEveryGsm8kTestQuestion() throws IOException {
        Path tokDir = RepoData.file("tokenizers/qwen3");
        List<String> lines = Files.readAllLines(RepoData.file("gsm8k/test.jsonl"));
        ObjectMapper json = new ObjectMapper();
        try (TextTokenizer tok = TextTokenizer.load(tokDir)) {
            int longest = 0;
            for (String line : lines) {
                String question = json.readTree(line).get("question").asText();
                int[] ids = tok.encode(question);
                longest = Math.max(longest, ids.length);
                assertEquals(question, tok.decode(ids, false), "round trip");
            }
            assertEquals(1319, lines.size());
            // No silent truncation at 512 tokens:
            String longText = String.join(" ", lines.subList(0, 20));
            int[] ids = tok.encode(longText);
            assertTrue(ids.length > 2000, "long input keeps all its tokens, got " + ids.length);
            assertEquals(longText, tok.decode(ids, false));
            assertTrue(longest > 20);
        }
    }

    @Test
    void qwen3ThinkTagsAreSingleTokensAndEosIsKnown() {
        try (TextTokenizer tok = TextTokenizer.load(RepoData.file("tokenizers/qwen3"))) {
            int[] think = tok.encode("<think>");
            int[] endThink = tok.encode("</think>");
            assertEquals(1, think.length);
            assertEquals(1, endThink.length);
            assertEquals(151667, think[0]);
            assertEquals(151668, endThink[0]);
            int[] ids = tok.encode("<think>2+2=4</think> <answer>4</answer>");
            assertEquals(think[0], ids[0]);
            assertTrue(tok.eosIds().contains(151645), "eos <|im_end|> from tokenizer_config.json");
            assertEquals(151669, tok.vocabSize());
            // no implicit special tokens
            assertArrayEquals(tok.encode("Hello"), new int[] {9707});
            // explicit special-token handling when decoding
            int[] withEos = {9707, 151645};
            assertEquals("Hello<|im_end|>", tok.decode(withEos, false));
            assertEquals("Hello", tok.decode(withEos, true));
        }
    }

    @Test
    void builtByteLevelTokenizerRoundTripsAnyText() throws IOException {
        ByteLevelTokenizerBuilder b = new ByteLevelTokenizerBuilder()
                .merge("1", "2").merge("12", "3").merge(" ", "+").eos("<|endoftext|>").special("<think>");
        b.writeTo(dir);
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            assertEquals(256 + 3 + 2, tok.vocabSize());
            assertEquals(b.vocabSize(), tok.vocabSize());
            int[] ids = tok.encode("123 + 4");
            assertEquals(4, ids.length, "merges apply: [123][ +][ ][4]");
            for (String s : new String[] {"", "plain", "ünïcödé ✓ 数学", "tabs\tand\nnewlines", "<think>x</think>"}) {
                assertEquals(s, tok.decode(tok.encode(s), false));
            }
            assertEquals(1, tok.encode("<think>").length);
            assertEquals(b.specialId("<|endoftext|>"), (int) tok.eosIds().iterator().next());
            assertEquals("ab", tok.decode(new int[] {'a', b.specialId("<|endoftext|>"), 'b'}, true));
        }
    }
}
