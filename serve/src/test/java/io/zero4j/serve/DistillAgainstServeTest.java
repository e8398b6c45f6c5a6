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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./zero4j distill} with a real HTTP teacher (zero4j serve on loopback) and with the same
 * model folder loaded locally: the same trace set for the same seed; a collection killed
 * (SIGKILL, in a child JVM) and restarted loses and repeats no problem; through a flaky endpoint
 * ({@link FlakyEndpoint}), 503s and 429s are retried with backoff and Retry-After, with the key from
 * {@code teacher.api_key_env} on every attempt, and a 400 or retries running out end it in one line.
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
        data = TinyServer.writeProblems(tmp.resolve("problems.jsonl"), PROBLEMS);
    }

    @AfterAll
    static void stop() {
        teacher.close();
    }

    /** A collection config: overlong keeps the short samples, so some are kept and some are not. */
    private static Path config(String name, String teacherJson) throws Exception {
        Path file = tmp.resolve(name + ".json");
        Files.writeString(file, "{\"dataset\":{\"path\":\"" + data + "\"},"
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

    /** A command's exit code and what it printed. */
    record Result(int code, String out, String err) {
    }

    static Result command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String run(String... args) {
        Result r = command(args);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    /** A failed command: exit code 2 and its last line of stderr, which is the only one that says why. */
    static String refused(String... args) {
        Result r = command(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), "no stack trace: " + r.err());
        String[] lines = r.err().strip().split("\n");
        return lines[lines.length - 1];
    }

    private static Process child(Map<String, String> environment, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        child.environment().putAll(environment);
        return child.start();
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
        Process p = child(Map.of(), tmp.resolve("child.log"), "distill", cfg.toString());
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
        String out = run("distill", config("killed", httpTeacher(0)).toString()); // how the teacher is asked may change
        assertTrue(out.contains("after "), out);
        run("distill", config("whole", httpTeacher(0)).toString());
        assertSameLines(lines(tmp.resolve("whole/collection.jsonl")), lines(collection));
        assertSameLines(lines(tmp.resolve("whole/traces.jsonl")), lines(tmp.resolve("killed/traces.jsonl")));
    }

    @Test
    void aBusyOrFailingTeacherIsRetriedWithBackoffAndGetsItsKey() throws Exception {
        // every request: first a 503, then a 429 asking for 2 s, then the model's answer; a request without the key is a 401
        FlakyEndpoint.Script script = (earlier, key, body) -> !"Bearer s3cret".equals(key)
                ? FlakyEndpoint.error(401, "no key", Map.of())
                : earlier == 0 ? FlakyEndpoint.error(503, "overloaded", Map.of())
                : earlier == 1 ? FlakyEndpoint.error(429, "slow down", Map.of("Retry-After", "2")) : null;
        int problems = 6;
        try (FlakyEndpoint endpoint = new FlakyEndpoint(teacher, script)) {
            Path cfg = config("flaky", "{\"url\":\"" + endpoint.baseUrl() + "\",\"served_model\":\"tiny\","
                    + "\"api_key_env\":\"ZERO4J_TEST_TEACHER_KEY\",\"concurrency\":4}");
            Process p = child(Map.of("ZERO4J_TEST_TEACHER_KEY", "s3cret"), tmp.resolve("flaky.log"), "distill", cfg.toString(),
                    "--set", "distill.max_problems=" + problems);
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the collection ends");
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("flaky.log")));
            List<List<FlakyEndpoint.Attempt>> requests = endpoint.attemptsByRequest();
            assertEquals(problems, requests.size(), "one request a problem");
            for (List<FlakyEndpoint.Attempt> attempts : requests) {
                assertEquals(3, attempts.size(), "a 503, a 429, then the answer");
                assertTrue(attempts.stream().allMatch(a -> "Bearer s3cret".equals(a.authorization())), "the key each time");
                long firstWait = attempts.get(1).nanos() - attempts.get(0).nanos();
                long secondWait = attempts.get(2).nanos() - attempts.get(1).nanos();
                assertTrue(firstWait >= 450_000_000L, "the first backoff, 0.5 s: " + firstWait / 1e9);
                assertTrue(secondWait >= 1_950_000_000L, "Retry-After's 2 s, over the doubled 1 s: " + secondWait / 1e9);
            }
        }
        run("distill", config("local-six", "{\"model\":\"" + tmp.resolve("teacher") + "\"}").toString(),
                "--set", "distill.max_problems=" + problems);
        assertSameLines(lines(tmp.resolve("local-six/collection.jsonl")), lines(tmp.resolve("flaky/collection.jsonl")));
    }

    @Test
    void aRefusedRequestOrRetriesRunningOutEndTheCollectionInOneLine() throws Exception {
        try (FlakyEndpoint refusing = new FlakyEndpoint(teacher, (earlier, key, body) -> FlakyEndpoint.error(400, "prompt too long",
                Map.of()))) {
            String line = refused("distill", config("refused", "{\"url\":\"" + refusing.baseUrl() + "\",\"served_model\":\"tiny\"}")
                    .toString());
            assertTrue(line.contains("teacher.url " + refusing.baseUrl() + " answered 400: prompt too long"), line);
            assertEquals(1, refusing.attemptsByRequest().get(0).size(), "a 400 is not retried");
        }
        try (FlakyEndpoint down = new FlakyEndpoint(teacher, (earlier, key, body) -> FlakyEndpoint.error(503, "down", Map.of()))) {
            String line = refused("distill", config("down", "{\"url\":\"" + down.baseUrl() + "\",\"served_model\":\"tiny\","
                    + "\"max_retries\":1}").toString());
            assertTrue(line.contains("answered 503: down (after 2 attempts; raise teacher.max_retries"), line);
        }
    }
}
