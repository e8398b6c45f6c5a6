package io.zero4j.trainer.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The toy's RL and held-out problem files in {@code data/} are exactly what the generator
 * makes from the toy-base config's task (regenerate them with
 * {@code mvn -pl trainer test -Dtest=ToyDataFilesTest -Dzero4j.regenerate=true}), and they are
 * distinct, reserved, and so disjoint from anything the pretraining corpus can contain.
 */
class ToyDataFilesTest {
    static final long SEED = 6;
    static final int HELD_OUT = 150;

    static Path root() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("configs")) && root.getParent() != null) {
            root = root.getParent();
        }
        return root;
    }

    @Test
    void shippedProblemFilesAreTheGeneratorsOutput() throws Exception {
        Path root = root();
        PretrainConfig config = PretrainConfigLoader.load(root.resolve("configs/toy-base.json"), List.of());
        List<DigitChains.Problem> all = ToyCorpus.task(config.task()).reservedProblems(SEED);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("data/digit-chains-test.jsonl", lines(all.subList(0, HELD_OUT)));
        expected.put("data/digit-chains-train.jsonl", lines(all.subList(HELD_OUT, all.size())));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            Path file = root.resolve(e.getKey());
            if (Boolean.getBoolean("zero4j.regenerate")) {
                Files.write(file, e.getValue());
            }
            assertTrue(Files.isRegularFile(file), file + " is missing");
            assertEquals(e.getValue(), Files.readAllLines(file), e.getKey() + " differs from the generator's output;"
                    + " regenerate with -Dzero4j.regenerate=true");
        }
        Set<String> questions = new HashSet<>();
        for (DigitChains.Problem p : all) {
            assertTrue(p.reserved(), "only reserved problems are shipped");
            assertTrue(questions.add(p.question()), "no problem twice");
            assertEquals(p, DigitChains.parse(p.question()));
        }
        for (String doc : ToyCorpus.documents(config).subList(0, 2000)) {
            String q = doc.substring(doc.indexOf("User: ") + 6, doc.indexOf(". Assistant:"));
            assertTrue(DigitChains.parse(q) != null, "corpus documents state one of our problems: " + q);
            assertTrue(!questions.contains(q) && !DigitChains.parse(q).reserved(), "a corpus document uses a reserved problem: " + q);
        }
    }

    private static List<String> lines(List<DigitChains.Problem> problems) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (DigitChains.Problem p : problems) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("question", p.question());
            row.put("answer", p.answer());
            out.add(json.writeValueAsString(row));
        }
        return out;
    }
}
