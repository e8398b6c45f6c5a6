package io.zero4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} with {@code algorithm.kind: on_policy_distill} and a served teacher
 * ({@code teacher.url}: zero4j serve on loopback, scoring the student's tokens through
 * {@code echo} + {@code logprobs} + {@code max_tokens: 0}) learns as it does with the same teacher
 * loaded in-process, through an endpoint that answers each scoring request's first attempt with an
 * error object (retried); an endpoint that does not score the echo ends the run in one line.
 */
class OnPolicyDistillAgainstServeTest {
    private static final int STEPS = 3;
    @TempDir
    static Path tmp;
    static TinyServer teacher;
    static Path student;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        teacher = new TinyServer(tmp.resolve("teacher"), false, 32, 256, 1 << 20);
        student = tmp.resolve("student");
        TinyServer.writeFolder(student, false, true, 6); // the teacher's tokenizer, other weights
        data = TinyServer.writeProblems(tmp.resolve("problems.jsonl"), 16);
    }

    @AfterAll
    static void stop() {
        teacher.close();
    }

    private static Path config(String name, String teacherJson) throws Exception {
        Path file = tmp.resolve(name + ".json");
        Files.writeString(file, "{\"model\":{\"path\":\"" + student + "\"},\"dataset\":{\"path\":\"" + data + "\",\"eval_size\":4},"
                + "\"prompt\":{\"template\":\"Q: {problem} A:\"},\"algorithm\":{\"kind\":\"on_policy_distill\"},"
                + "\"rewards\":[{\"name\":\"overlong\",\"params\":{\"max_length\":\"12\",\"overlong_cache\":\"8\"}}],"
                + "\"sampling\":{\"num_generations\":4,\"temperature\":1.0,\"max_prompt_length\":32,\"max_completion_length\":12,"
                + "\"stop\":[\"a\",\" \"]},\"optim\":{\"learning_rate\":3e-3,\"prompts_per_step\":3,\"micro_batch_size\":12},"
                + "\"teacher\":" + teacherJson + ",\"run\":{\"steps\":" + STEPS + ",\"seed\":4,\"eval_every\":0,\"save_every\":0,"
                + "\"log_samples_every\":1,\"output_dir\":\"" + tmp.resolve(name) + "\"}}");
        return file;
    }

    private static List<JsonNode> metrics(String run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve(run).resolve("metrics.jsonl"))) {
            out.add(TinyServer.JSON.readTree(line).get("data"));
        }
        return out;
    }

    /** The token ids of every logged sample, step by step. */
    private static List<String> completions(String run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve(run).resolve("samples.jsonl"))) {
            JsonNode sample = TinyServer.JSON.readTree(line);
            out.add(sample.get("step") + ": " + sample.get("completion_ids"));
        }
        assertEquals(3 * 4 * STEPS, out.size(), run + ": every sample logged");
        return out;
    }

    @Test
    void aServedTeacherTeachesAsTheSameFolderLoadedHere() throws Exception {
        DistillAgainstServeTest.Result local = DistillAgainstServeTest.command("train",
                config("local", "{\"model\":\"" + tmp.resolve("teacher") + "\"}").toString());
        assertEquals(0, local.code(), local.err());
        // each scoring request first fails as a server does after it has sent its 200: an error object in the body
        try (FlakyEndpoint busy = new FlakyEndpoint(teacher, (earlier, key, body) -> earlier == 0
                ? FlakyEndpoint.error(200, "late failure", Map.of()) : null)) {
            DistillAgainstServeTest.Result served = DistillAgainstServeTest.command("train", config("served",
                    "{\"url\":\"" + busy.baseUrl() + "\",\"served_model\":\"tiny\",\"concurrency\":8}").toString());
            assertEquals(0, served.code(), served.err());
            int rows = 3 * 4 * STEPS;
            assertEquals(rows, busy.attemptsByRequest().size(), "one scoring request a sampled completion");
            assertTrue(busy.attemptsByRequest().stream().allMatch(a -> a.size() == 2), "each retried once");
        }
        List<JsonNode> expected = metrics("local");
        List<JsonNode> actual = metrics("served");
        assertEquals(STEPS, expected.size());
        assertEquals(STEPS, actual.size());
        for (int s = 0; s < STEPS; s++) {
            double kl = expected.get(s).get("distill/reverse_kl").asDouble();
            assertTrue(kl > 0.01, "a teacher of other weights is away from the student: " + kl);
            assertEquals(kl, actual.get(s).get("distill/reverse_kl").asDouble(), 1e-4 * Math.max(1, kl), "reverse KL, step " + (s + 1));
            assertEquals(expected.get(s).get("loss").asDouble(), actual.get(s).get("loss").asDouble(), 1e-4, "loss, step " + (s + 1));
        }
        assertEquals(completions("local"), completions("served"), "the student sampled the same tokens at every step");
    }

    @Test
    void anEndpointThatDoesNotScoreTheEchoEndsTheRunInOneLine() throws Exception {
        String noLogprobs = "{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}";
        try (FlakyEndpoint plain = new FlakyEndpoint(teacher, (earlier, key, body) -> new FlakyEndpoint.Answer(200,
                Map.of("Content-Type", "application/json"), noLogprobs))) {
            String line = DistillAgainstServeTest.refused("train", config("plain",
                    "{\"url\":\"" + plain.baseUrl() + "\",\"served_model\":\"tiny\"}").toString());
            assertTrue(line.contains("did not score the echoed prompt"), line);
        }
    }
}
