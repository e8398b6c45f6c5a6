package io.zero4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.trainer.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./zero4j distill} with a real HTTP teacher (zero4j serve on loopback) and with the same
 * model folder loaded locally: the same trace set for the same seed; and a collection killed
 * (SIGKILL, in a child JVM) and restarted loses and repeats no problem.
 */
class DistillAgainstServeTest {
    private static final int PROBLEMS = 40;
    @TempDir
    static Path tmp;
    static TinyServer teacher;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        teacher = new TinyServer(tmp.resolve("teacher"), true, 32, 256, 1 << 20);
        data = tmp.resolve("problems.jsonl");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < PROBLEMS; i++) {
            rows.add("{\"question\":\"Start with " + i + ".\",\"answer\":\"" + (i % 10) + "\"}");
        }
        Files.write(data, rows);
    }

    @AfterAll
    static void stop() {
        teacher.close();
    }

    /** A collection config: overlong keeps the short samples, so some are kept and some are not. */
    private static Path config(String name, String teacherJson) throws Exception {
        Path file = tmp.resolve(name + ".json");
        Files.writeString(file, "{\"model\":{\"path\":\"" + tmp.resolve("teacher") + "\"},\"dataset\":{\"path\":\"" + data + "\"},"
                + "\"prompt\":{\"template\":\"Q: {problem} A:\"},"
                + "\"rewards\":[{\"name\":\"overlong\",\"params\":{\"max_length\":\"12\",\"overlong_cache\":\"8\"}}],"
                + "\"sampling\":{\"temperature\":1.0,\"top_k\":30,\"max_completion_length\":12,\"stop\":[\"a\",\"e\",\" \"]},"
                + "\"distill\":{\"samples_per_problem\":3,\"keep_rewards\":[\"overlong\"],\"keep_min\":-0.3},"
                + "\"teacher\":" + teacherJson + ",\"run\":{\"seed\":11,\"output_dir\":\"" + tmp.resolve(name) + "\"}}");
        return file;
    }

    private static String httpTeacher(double perSecond) {
        return "{\"url\":\"http://127.0.0.1:" + teacher.server.port() + "/v1\",\"served_model\":\"tiny\","
                + "\"requests_per_second\":" + perSecond + ",\"concurrency\":4}";
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The lines without what differs between teachers and runs: the time and the teacher. */
    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            ObjectNode n = (ObjectNode) TinyServer.JSON.readTree(l);
            assertTrue(n.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "a time: " + n);
            assertTrue(n.get("teacher").has("kind") && n.get("sampling").has("seed") && n.get("rewards").has("overlong"), n.toString());
            n.remove(List.of("time", "teacher"));
            out.add(n);
        }
        return out;
    }

    /** Equal line by line; a difference names its first line only. */
    private static void assertSameLines(List<JsonNode> expected, List<JsonNode> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i).toString(), actual.get(i).toString(), "line " + (i + 1));
        }
        assertEquals(expected.size(), actual.size(), "lines");
    }

    @Test
    void aServedTeacherAndTheSameFolderLoadedHereGiveTheSameTraces() throws Exception {
        run("distill", config("local", "{\"model\":\"" + tmp.resolve("teacher") + "\"}").toString());
        run("distill", config("http", httpTeacher(0)).toString());
        List<JsonNode> local = lines(tmp.resolve("local/collection.jsonl"));
        List<JsonNode> http = lines(tmp.resolve("http/collection.jsonl"));
        assertEquals(PROBLEMS * 3, local.size());
        assertSameLines(local, http);
        List<JsonNode> kept = lines(tmp.resolve("local/traces.jsonl"));
        assertTrue(kept.size() > 0 && kept.size() < local.size(), kept.size() + " of " + local.size() + " kept");
        assertTrue(kept.stream().allMatch(n -> n.get("kept").asBoolean()));
    }

    @Test
    void aKilledCollectionRestartsWithoutLosingOrRepeatingAProblem() throws Exception {
        Path cfg = config("killed", httpTeacher(25));
        Path collection = tmp.resolve("killed/collection.jsonl");
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "distill", cfg.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        Process p = child.start();
        try {
            while (!Files.exists(collection) || Files.readAllLines(collection).size() < 30) {
                assertTrue(p.isAlive(), "the child collects: " + Files.readString(tmp.resolve("child.log")));
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
        }
        int before = Files.readAllLines(collection).size();
        assertTrue(before < PROBLEMS * 3, "killed mid-collection, at " + before + " lines");
        String out = run("distill", cfg.toString());
        assertTrue(out.contains("after "), out);
        run("distill", config("whole", httpTeacher(0)).toString());
        assertSameLines(lines(tmp.resolve("whole/collection.jsonl")), lines(collection));
        assertSameLines(lines(tmp.resolve("whole/traces.jsonl")), lines(tmp.resolve("killed/traces.jsonl")));
    }
}
