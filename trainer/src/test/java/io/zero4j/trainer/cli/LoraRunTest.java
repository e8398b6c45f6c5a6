package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.lora.PeftAdapterFolder;
import io.zero4j.model.safetensors.SafeTensorsFile;
import io.zero4j.trainer.checkpoint.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./zero4j train} with {@code model.lora}: checkpoints hold the PEFT adapter and the adapters'
 * moments only, a resumed run matches an uninterrupted one, the KL reference is the base, and the
 * merged export and the adapter on its base generate the same greedy text. The reward is the length
 * penalty, with stop strings that end the random toy's completions at different lengths, so that every
 * step has a signal.
 */
class LoraRunTest {
    @TempDir
    static Path tmp;
    static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        Path model = tmp.resolve("toy");
        assertEquals(0, MainTest.run("init", "--out", model.toString(), "--seed", "1").code());
        Path data = tmp.resolve("data.jsonl");
        Files.write(data, List.of("{\"question\":\"1+1\",\"answer\":\"2\"}", "{\"question\":\"2+2\",\"answer\":\"4\"}",
                "{\"question\":\"3+3\",\"answer\":\"6\"}", "{\"question\":\"4+4\",\"answer\":\"8\"}"));
        config = tmp.resolve("run.json");
        Files.writeString(config, "{\"model\":{\"path\":\"" + model + "\",\"lora\":{\"r\":4,\"alpha\":8,"
                + "\"target_modules\":\"all-linear\"}},\"dataset\":{\"path\":\"" + data + "\",\"eval_size\":0},"
                + "\"prompt\":{\"template\":\"Q: {problem} A: <think>\"},\"algorithm\":{\"beta\":0.04},"
                + "\"rewards\":[{\"name\":\"overlong\",\"params\":{\"overlong_cache\":\"7\"}}],"
                + "\"sampling\":{\"num_generations\":4,\"max_prompt_length\":64,\"max_completion_length\":8,"
                + "\"stop\":[\" \",\"1\",\"e\",\"a\"]},"
                + "\"optim\":{\"learning_rate\":1e-2,\"prompts_per_step\":2,\"micro_batch_size\":4},"
                + "\"run\":{\"steps\":2,\"save_every\":1,\"seed\":5}}");
    }

    private static List<JsonNode> steps(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(new ObjectMapper().readTree(line));
        }
        return out;
    }

    private static String greedy(Path model) {
        MainTest.Result r = MainTest.run("generate", "--model", model.toString(), "--prompt", "Q: 2+2 A: <think>",
                "--temperature", "0", "--max-new-tokens", "24");
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void adaptersTrainCheckpointResumeAndExportBothWays() throws Exception {
        Path straight = tmp.resolve("straight");
        MainTest.Result r = MainTest.run("train", config.toString(), "--set", "run.output_dir=" + straight);
        assertEquals(0, r.code(), r.err());
        Path checkpoint = Checkpoints.dirFor(straight, 1);
        assertTrue(PeftAdapterFolder.isAdapterFolder(checkpoint));
        assertFalse(Files.exists(checkpoint.resolve("model.safetensors")), "a LoRA checkpoint does not copy the base");
        try (SafeTensorsFile f = SafeTensorsFile.open(checkpoint.resolve(Checkpoints.OPTIMIZER))) {
            int layers = new ObjectMapper().readTree(tmp.resolve("toy/config.json").toFile()).get("num_hidden_layers").asInt();
            assertEquals(layers * 7 * 2 * 2, f.tensors().size(), "layers x 7 modules x (A, B) x (exp_avg, exp_avg_sq)");
            f.tensors().keySet().forEach(name -> assertTrue(name.contains(".lora_"), name));
        }
        List<JsonNode> a = steps(straight);
        assertTrue(a.get(1).get("data").get("grad_norm").asDouble() > 0, "the adapters learn: " + a.get(1));
        assertTrue(a.get(0).get("data").get("kl").asDouble() == 0, "step 1 starts at the base, so KL to it is 0");
        assertTrue(a.get(1).get("data").get("kl").asDouble() > 0, "then the policy moves away from the base");

        Path split = tmp.resolve("split");
        assertEquals(0, MainTest.run("train", config.toString(), "--set", "run.output_dir=" + split, "--set", "run.steps=1").code());
        MainTest.Result resumed = MainTest.run("train", "--resume", split.toString(), "--set", "run.steps=2");
        assertEquals(0, resumed.code(), resumed.err());
        List<JsonNode> b = steps(split);
        for (String key : new String[] {"reward", "loss", "grad_norm", "kl", "entropy", "completions/mean_length"}) {
            assertEquals(a.get(1).get("data").get(key).asDouble(), b.get(1).get("data").get(key).asDouble(), 1e-6,
                    "step 2 " + key + " after resume");
        }

        Path merged = tmp.resolve("merged");
        Path adapter = tmp.resolve("adapter");
        assertEquals(0, MainTest.run("export", straight.toString(), merged.toString()).code());
        assertEquals(0, MainTest.run("export", straight.toString(), adapter.toString(), "--adapter").code());
        assertTrue(Files.exists(merged.resolve("model.safetensors")) && Files.exists(adapter.resolve("adapter_model.safetensors")));
        String fromMerged = greedy(merged);
        assertEquals(fromMerged, greedy(adapter), "the adapter on its base generates what the merged model does");
        assertEquals(fromMerged, greedy(straight.resolve("final")), "final/ is the merged model");
        assertTrue(!fromMerged.equals(greedy(tmp.resolve("toy"))), "and differs from the base: training moved it");

        MainTest.Result full = MainTest.run("export", Checkpoints.dirFor(split, 1).resolve("..").resolve("..").toString(),
                tmp.resolve("x").toString());
        assertEquals(0, full.code(), full.err());
    }

    @Test
    void loraMistakesEndWithOneLine() throws Exception {
        String[][] cases = {
            {"model.lora.target_modules=[\"qproj\"]", "model.lora.target_modules"},
            {"model.lora.r=-2", "model.lora.r"},
            {"model.lora.dropout=1.5", "model.lora.dropout"},
        };
        for (String[] c : cases) {
            MainTest.Result r = MainTest.run("train", config.toString(), "--set", c[0], "--set",
                    "run.output_dir=" + tmp.resolve("bad"));
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
        }
        Path plain = tmp.resolve("plain");
        assertEquals(0, MainTest.run("train", config.toString(), "--set", "run.output_dir=" + plain, "--set", "model.lora.r=0",
                "--set", "run.steps=1").code());
        MainTest.Result r = MainTest.run("export", plain.toString(), tmp.resolve("y").toString(), "--adapter");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not LoRA adapters"), r.err());
    }
}
