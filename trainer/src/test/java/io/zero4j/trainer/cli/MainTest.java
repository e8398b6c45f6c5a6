package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on an exported toy model: init, info, generate, and user errors. */
class MainTest {
    @TempDir
    static Path tmp;
    static Path model;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void init() {
        model = tmp.resolve("toy");
        Result r = run("init", "--out", model.toString(), "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(model.resolve("model.safetensors")));
        assertTrue(Files.exists(model.resolve("tokenizer.json")));
    }

    @Test
    void infoDescribesTheFolder() throws Exception {
        Result r = run("info", "--model", model.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("Qwen2ForCausalLM", j.get("architecture").asText());
        assertEquals(4_201_984L, j.get("parameters").asLong());
        assertEquals("F32", j.get("dtype").asText());
        assertEquals(2048, j.get("context_length").asInt());
        Result text = run("info", "--model", model.toString());
        assertTrue(text.out().contains("4,201,984"), text.out());
    }

    @Test
    void generateJsonWithLogprobsIsReproducible() throws Exception {
        String[] args = {"generate", "--model", model.toString(), "--prompt", "2+3=", "--max-new-tokens", "6",
            "--temperature", "0.8", "--seed", "5", "--json", "--logprobs"};
        Result a = run(args);
        assertEquals(0, a.code(), a.err());
        JsonNode j = new ObjectMapper().readTree(a.out());
        assertEquals(6, j.get("completion_ids").size());
        assertEquals(j.get("prompt_tokens").asInt(), j.get("prompt_ids").size(), "the prompt's ids are printed too");
        assertTrue(j.get("prompt_ids").size() > 0);
        assertEquals(6, j.get("logprobs").size());
        for (JsonNode lp : j.get("logprobs")) {
            assertTrue(lp.asDouble() < 0 && lp.asDouble() > -20, "a natural-log probability: " + lp);
        }
        assertEquals("length", j.get("finish_reason").asText());
        assertEquals(a.out(), run(args).out(), "same seed, same output");
        Result greedy = run("generate", "--model", model.toString(), "--prompt", "2+3=", "--max-new-tokens", "4", "--json");
        assertFalse(new ObjectMapper().readTree(greedy.out()).has("logprobs"));
    }

    @Test
    void evalWritesAJsonReport() throws Exception {
        Path data = tmp.resolve("eval.jsonl");
        Files.writeString(data, "{\"question\":\"1+1\",\"answer\":\"2\"}\n{\"question\":\"2+2\",\"answer\":\"4\"}\n");
        Path report = tmp.resolve("report.json");
        Result r = run("eval", "--model", model.toString(), "--dataset", data.toString(), "--reward", "accuracy,format",
                "--k", "2", "--max-new-tokens", "4", "--output", report.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertEquals(2, j.get("problems").asInt());
        for (String key : new String[] {"greedy_pass@1", "sampled_pass@1", "pass@2", "maj@2", "mean_length", "reward/accuracy", "reward/format"}) {
            assertTrue(j.get("metrics").has(key), key);
        }
        assertEquals(4.0, j.get("metrics").get("mean_length").asDouble(), "a random toy never stops early");
        assertEquals(2, run("eval", "--model", model.toString(), "--dataset", tmp.resolve("none.jsonl").toString()).code());
    }

    @Test
    void userErrorsAreOneLineWithExitCode2() {
        Result[] bad = {
            run("info", "--model", tmp.resolve("missing").toString()),
            run("generate", "--model", model.toString()),
            run("generate", "--model", model.toString(), "--prompt", "x", "--temperature", "-1"),
            run("generate", "--model", model.toString(), "--prompt", "x", "--max-new-tokens", "5000"),
            run("generate", "--model", model.toString(), "--prompt", "x", "--device", "tpu"),
            run("info", "--model", model.toString(), "--frobnicate"),
            run("launch"),
        };
        for (Result r : bad) {
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("zero4j: "), r.err());
        }
        assertTrue(bad[1].err().contains("--prompt"), bad[1].err());
        assertTrue(bad[3].err().contains("context"), bad[3].err());
    }

    @Test
    void corruptWeightsAreAUserError() throws Exception {
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json"}) {
            Files.copy(model.resolve(f), broken.resolve(f));
        }
        byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
        Files.write(broken.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        Result r = run("generate", "--model", broken.toString(), "--prompt", "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model.safetensors") && r.err().contains("truncated"), r.err());
    }
}
