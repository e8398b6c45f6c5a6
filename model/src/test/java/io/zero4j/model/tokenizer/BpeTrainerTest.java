package io.zero4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.model.ModelPresets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    @TempDir
    Path dir;

    private static List<String> corpus() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            out.add("A conversation between User and Assistant. User: add " + i % 10 + " and " + (i * 7) % 100
                    + ". Assistant: <think> " + i + " </think> <answer>" + (i % 10 + (i * 7) % 100) + "</answer>");
        }
        return out;
    }

    private static ByteLevelTokenizerBuilder learned(int merges) {
        ByteLevelTokenizerBuilder b = ModelPresets.toyTokenizer();
        BpeTrainer.learn(corpus(), ModelPresets.TOY_SPECIAL_TOKENS, merges, b);
        return b;
    }

    @Test
    void frequentTextBecomesFewTokensDigitsStayAloneAndTextRoundTrips() throws Exception {
        ByteLevelTokenizerBuilder b = learned(200);
        assertTrue(b.vocabSize() > 256 + 5 + 20, "merges were learned: " + b.vocabSize());
        b.writeTo(dir);
        try (TextTokenizer tok = TextTokenizer.load(dir)) {
            String prefix = "A conversation between User and Assistant. User: add ";
            assertTrue(tok.encode(prefix).length <= 3, "the repeated prefix is a few tokens: " + tok.encode(prefix).length);
            int[] number = tok.encode("12345");
            assertEquals(5, number.length, "digits never merge");
            for (int id : number) {
                assertEquals(1, tok.decode(new int[] {id}, false).length());
            }
            for (String text : corpus()) {
                assertEquals(text, tok.decode(tok.encode(text), false));
            }
            String unseen = "Ünïcode and 3.14 and tabs\t";
            assertEquals(unseen, tok.decode(tok.encode(unseen), false));
            assertEquals(1, tok.encode("<think>").length);
        }
    }

    @Test
    void theSameCorpusGivesTheSameTokenizer() throws Exception {
        learned(120).writeTo(dir.resolve("a"));
        learned(120).writeTo(dir.resolve("b"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/tokenizer.json")), Files.readAllBytes(dir.resolve("b/tokenizer.json")));
        assertTrue(learned(5).vocabSize() == 256 + 5 + 5, "stops at the merge budget");
    }
}
