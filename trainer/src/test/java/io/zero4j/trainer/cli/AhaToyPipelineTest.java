package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelLoader;
import io.zero4j.trainer.checkpoint.AtomicFolder;
import io.zero4j.trainer.toy.BaseModels;
import io.zero4j.trainer.toy.PretrainConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in default's pipeline at miniature scale (a 2-layer model pretrained for a few steps,
 * two GRPO steps): {@code pretrain} makes and caches the base model reproducibly, and {@code train}
 * on a run config with {@code model.pretrain} writes every artifact the full run does.
 */
class AhaToyPipelineTest {
    @TempDir
    static Path tmp;
    static Path baseConfig;
    static Path runConfig;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        baseConfig = tmp.resolve("base.json");
        Files.writeString(baseConfig, "{\"corpus\":{\"documents\":400},\"tokenizer\":{\"merges\":64},"
                + "\"model\":{\"hidden_size\":32,\"intermediate_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,"
                + "\"num_key_value_heads\":1},\"train\":{\"steps\":6,\"batch_size\":8,\"warmup_steps\":2},"
                + "\"cache_dir\":\"" + tmp.resolve("cache") + "\"}");
        Path data = tmp.resolve("train.jsonl");
        Path heldOut = tmp.resolve("test.jsonl");
        Files.write(data, List.of(row("Start with 3. Add 7, add 2, keep the last digit. Do this 3 times", "0"),
                row("Start with 1. Add 3, add 3, keep the last digit. Do this 4 times", "5")));
        Files.write(heldOut, List.of(row("Start with 4. Add 9, add 1, keep the last digit. Do this 3 times", "4")));
        runConfig = tmp.resolve("aha.json");
        Files.writeString(runConfig, "{\"model\":{\"pretrain\":\"" + baseConfig + "\"},\"dataset\":{\"path\":\"" + data
                + "\",\"eval_path\":\"" + heldOut + "\"},"
                + "\"sampling\":{\"num_generations\":2,\"max_prompt_length\":128,\"max_completion_length\":24},"
                + "\"optim\":{\"learning_rate\":1e-3,\"prompts_per_step\":2,\"micro_batch_size\":4},"
                + "\"run\":{\"steps\":2,\"eval_every\":2,\"save_every\":2,\"log_samples_every\":1,\"output_dir\":\""
                + tmp.resolve("run") + "\"}}");
    }

    private static String row(String question, String answer) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("question", question, "answer", answer));
    }

    private static Path cachedBase() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            List<Path> complete = s.filter(p -> Files.exists(p.resolve("pretrain.json"))).toList();
            assertEquals(1, complete.size(), "one cached base model, no leftover temporary folders: " + complete);
            return complete.get(0);
        }
    }

    @Test
    void trainPretrainsOnceThenRunsGrpoAndWritesEveryArtifact() throws Exception {
        Path killed = AtomicFolder.temporaryFor(BaseModels.folderFor(PretrainConfigLoader.load(baseConfig, List.of())));
        Files.createDirectories(killed);
        Files.writeString(killed.resolve("model.safetensors"), "half-written by a killed pretraining");
        MainTest.Result first = MainTest.run("train", runConfig.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(!Files.exists(killed), "a killed pretraining's temporary folder is cleared");
        Path base = cachedBase();
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "pretrain.json"}) {
            assertTrue(Files.exists(base.resolve(f)), "base model has " + f);
        }
        JsonNode probe = JSON.readTree(base.resolve("pretrain.json").toFile()).get("probe");
        for (String key : new String[] {"greedy/pass@1", "direct/pass@1", "worked/pass@1", "sampled/opens_reasoning"}) {
            assertTrue(probe.has(key), "the base model's probe reports " + key);
        }
        Path run = tmp.resolve("run");
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, metrics.size(), "evaluation before training, then two steps");
        JsonNode last = JSON.readTree(metrics.get(2)).get("data");
        for (String key : new String[] {"eval/greedy_pass@1", "eval/mean_length", "eval/think_share", "reward"}) {
            assertTrue(last.has(key), "the last step carries " + key);
        }
        for (String png : new String[] {"reward.png", "accuracy.png", "length.png", "entropy_kl.png"}) {
            assertTrue(javax.imageio.ImageIO.read(run.resolve(png).toFile()).getWidth() > 100, png + " is an image");
        }
        assertEquals(2 * 2 * 2, Files.readAllLines(run.resolve("samples.jsonl")).size(), "two steps of 2 x 2 samples");
        JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
        assertTrue(report.get("before").has("eval/greedy_pass@1") && report.get("after").has("eval/think_share"));
        assertTrue(report.get("wall_seconds").asDouble() > 0);
        assertTrue(first.out().contains("held-out accuracy") && first.out().contains("wall time"), first.out());
        MainTest.Result generated = MainTest.run("generate", "--model", run.resolve("final").toString(), "--prompt",
                "Start with 3.", "--max-new-tokens", "4");
        assertEquals(0, generated.code(), generated.err());

        MainTest.Result again = MainTest.run("pretrain", baseConfig.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("cached"), "the second time the base model comes from the cache: " + again.err());
        assertEquals(base.toString(), again.out().strip());
    }

    @Test
    void pretrainingIsReproducibleFromItsSeed() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, MainTest.run("pretrain", baseConfig.toString(), "--out", a.toString()).code());
        assertEquals(0, MainTest.run("pretrain", baseConfig.toString(), "--out", b.toString()).code());
        assertArrayEquals(Files.readAllBytes(a.resolve("tokenizer.json")), Files.readAllBytes(b.resolve("tokenizer.json")));
        // Same corpus, tokenizer, init and batch order; the weights agree to float rounding (libtorch's
        // two intra-op threads may sum in another order: measured differences ~1e-8).
        assertTrue(maxDifference(a, b) < 1e-5, "same seed, same model: " + maxDifference(a, b));
        MainTest.Result other = MainTest.run("pretrain", baseConfig.toString(), "--out", tmp.resolve("c").toString(),
                "--set", "seed=2");
        assertEquals(0, other.code(), other.err());
        assertTrue(maxDifference(a, tmp.resolve("c")) > 1e-3, "another seed, another model");
    }

    /** The largest absolute difference between two models' weights, tensor by tensor. */
    private static double maxDifference(Path a, Path b) throws Exception {
        try (CausalLM x = ModelLoader.load(a, Device.cpu(), DataType.FLOAT32);
             CausalLM y = ModelLoader.load(b, Device.cpu(), DataType.FLOAT32)) {
            double max = 0;
            for (String name : x.parameters().keySet()) {
                float[] u = x.parameters().get(name).toFloatArray();
                float[] v = y.parameters().get(name).toFloatArray();
                for (int i = 0; i < u.length; i++) {
                    max = Math.max(max, Math.abs(u[i] - v[i]));
                }
            }
            return max;
        }
    }

    @Test
    void badPretrainConfigsAreOneLine() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"corpus\":{\"worked_share\":1.5}}");
        MainTest.Result r = MainTest.run("pretrain", bad.toString());
        assertEquals(2, r.code());
        assertEquals("zero4j: " + bad + ": key 'corpus.worked_share': expected a share between 0 and 1", r.err().strip());
        Files.writeString(bad, "{\"model\":{\"layers\":2}}");
        r = MainTest.run("pretrain", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().strip().startsWith("zero4j: " + bad + ": unknown key 'model.layers'; allowed here: "), r.err());
        assertEquals(1, r.err().strip().lines().count());
        r = MainTest.run("pretrain", baseConfig.toString(), "--out", tmp.resolve("short").toString(),
                "--set", "model.max_position_embeddings=64");
        assertEquals(2, r.code());
        assertTrue(r.err().contains(baseConfig + ": key 'model.max_position_embeddings': a document has"), r.err());
        r = MainTest.run("pretrain", baseConfig.toString(), "--out", tmp.resolve("diverged").toString(),
                "--set", "train.learning_rate=1e9");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(baseConfig + ": pretraining diverged at step"), r.err());
        assertTrue(!Files.exists(tmp.resolve("diverged")), "a failed pretraining publishes nothing");
    }
}
