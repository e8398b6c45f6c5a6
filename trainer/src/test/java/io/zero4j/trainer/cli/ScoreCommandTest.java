package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    @TempDir
    Path tmp;

    @Test
    void scoresEveryLineInOrderWithOneColumnPerFunction() throws Exception {
        Path in = tmp.resolve("in.jsonl");
        Path out = tmp.resolve("out.jsonl");
        Files.write(in, List.of(
                "{\"id\":1,\"completion\":\"<think>2+2</think> <answer>4</answer>\",\"answer\":\"4\"}",
                "{\"id\":2,\"completion\":\"<answer></answer>\",\"answer\":\"4\"}",
                "{\"id\":3,\"completion\":\"<think>x</think><answer>(1+2)*3</answer>\",\"numbers\":[1,2,3],\"target\":9}",
                "{\"id\":4,\"completion\":\"<answer>\\\\frac{1}{2}</answer>\",\"answer\":\"0.5\"}"));
        MainTest.Result r = MainTest.run("score", "--reward", "accuracy,format=0.5,countdown", "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        ObjectMapper json = new ObjectMapper();
        double[][] expected = {{1, 1, 0}, {0, 0, 0}, {0, 1, 1}, {1, 0, 0}};
        for (int i = 0; i < 4; i++) {
            JsonNode row = json.readTree(lines.get(i));
            assertEquals(i + 1, row.get("id").asInt(), "order kept");
            assertEquals(expected[i][0], row.get("accuracy").asDouble(), lines.get(i));
            assertEquals(expected[i][1], row.get("format").asDouble(), lines.get(i));
            assertEquals(expected[i][2], row.get("countdown").asDouble(), lines.get(i));
            assertEquals(expected[i][0] + 0.5 * expected[i][1] + expected[i][2], row.get("reward").asDouble(), 1e-12);
        }
        assertTrue(r.err().contains("scored 4 lines") && r.err().contains("unparseable"), r.err());
    }

    @Test
    void explainSaysWhatWasReadAndWhyAndAuditsTheFile() throws Exception {
        Path in = tmp.resolve("audit.jsonl");
        Path out = tmp.resolve("audit-out.jsonl");
        Files.write(in, List.of(
                "{\"completion\":\"<answer>\\\\dfrac{2}{6}</answer>\",\"answer\":\"so \\\\boxed{\\\\frac13}\"}",
                "{\"completion\":\"<answer>x > 3</answer>\",\"answer\":\"[3, \\\\infty)\"}",
                "{\"completion\":\"I think it is 5\",\"answer\":\"5\"}",
                "{\"completion\":\"<answer>7</answer>\",\"answer\":\"#### 7\"}"));
        MainTest.Result r = MainTest.run("score", "--reward", "accuracy", "--params", "percent=fraction", "--explain",
                "--input", in.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        List<JsonNode> rows = ChildRuns.rows(out);
        JsonNode first = rows.get(0).get("explain").get("accuracy");
        assertEquals("judged", first.get("outcome").asText());
        assertEquals("answer_tag", first.get("extracted_by").asText());
        assertEquals("boxed", first.get("gold_from").asText());
        assertEquals("\\frac{2}{6}", first.get("predicted_canonical").asText());
        assertEquals("equal exactly: 1/3 and 1/3", first.get("why").asText());
        assertEquals("not equal as intervals: (3,\\infty) and [3,\\infty)", rows.get(1).get("explain").get("accuracy").get("why").asText());
        assertEquals("unparseable", rows.get(2).get("explain").get("accuracy").get("outcome").asText());
        String table = r.err();
        assertTrue(table.lines().anyMatch(l -> l.matches("accuracy\\s+3\\s+1\\s+2\\s+1\\s+0\\s+0")), table);
        assertTrue(table.contains("accuracy answers read by: {answer_tag=3, nothing=1}"), table);
        assertTrue(table.contains("accuracy gold answers read from: {boxed=1, gsm8k=1, the whole field=1}"), table);
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        Path in = tmp.resolve("bad.jsonl");
        Files.write(in, List.of("{\"completion\":\"a\"}", "{\"answer\":\"4\"}"));
        MainTest.Result r = MainTest.run("score", "--reward", "accuracy", "--input", in.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.jsonl:2") && r.err().contains("'completion'"), r.err());
        Files.write(in, List.of("{\"completion\":\"a\",\"numbers\":\"1,2\"}"));
        r = MainTest.run("score", "--reward", "countdown", "--input", in.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'numbers'"), r.err());
        r = MainTest.run("score", "--reward", "nope", "--input", in.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown reward 'nope'"), r.err());
        r = MainTest.run("score", "--reward", "format", "--input", tmp.resolve("missing.jsonl").toString());
        assertEquals(2, r.code());
    }
}
