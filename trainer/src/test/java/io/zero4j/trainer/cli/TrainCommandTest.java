package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.trainer.checkpoint.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./zero4j train} end to end on the toy shape: artifacts, resume, and user errors. */
class TrainCommandTest {
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
        Files.writeString(config, "{\"model\":{\"path\":\"" + model + "\"},\"dataset\":{\"path\":\"" + data + "\",\"eval_size\":1},"
                + "\"prompt\":{\"template\":\"Q: {problem} A: <think>\"},"
                + "\"sampling\":{\"num_generations\":4,\"max_prompt_length\":64,\"max_completion_length\":8},"
                + "\"optim\":{\"learning_rate\":1e-4,\"prompts_per_step\":2,\"micro_batch_size\":4},"
                + "\"run\":{\"steps\":2,\"save_every\":1,\"log_samples_every\":1,\"seed\":5,\"eval_every\":2,\"eval_pass_k\":2}}");
    }

    private static List<JsonNode> metrics(Path run) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(json.readTree(line));
        }
        return out;
    }

    @Test
    void writesEveryArtifactAndResumesToTheSameNextStep() throws Exception {
        Path straight = tmp.resolve("straight");
        MainTest.Result r = MainTest.run("train", config.toString(), "--set", "run.output_dir=" + straight);
        assertEquals(0, r.code(), r.err());
        List<JsonNode> all = metrics(straight);
        assertEquals(3, all.size(), "an evaluation before training, then two steps");
        assertEquals(0, all.get(0).get("step").asInt());
        for (String key : new String[] {"eval/greedy_pass@1", "eval/pass@2", "eval/maj@2", "eval/mean_length"}) {
            assertTrue(all.get(0).get("data").has(key), "evaluation before training: " + key);
            assertTrue(all.get(2).get("data").has(key), "evaluation at the last step: " + key);
        }
        List<JsonNode> a = all.subList(1, 3);
        assertEquals(1, a.get(0).get("step").asInt());
        for (String key : new String[] {"reward", "reward_std", "rewards/accuracy/mean", "rewards/format/mean",
            "frac_reward_zero_std", "completions/mean_length", "completions/think_share", "completions/clipped_ratio", "clip_ratio/low_mean",
            "entropy", "learning_rate", "tokens_per_second", "time/rollout_s", "time/update_s"}) {
            assertTrue(a.get(0).get("data").has(key), "metrics carry " + key);
        }
        assertTrue(Files.exists(straight.resolve("config.json")));
        for (String png : new String[] {"reward.png", "accuracy.png", "length.png", "entropy_kl.png"}) {
            assertTrue(Files.size(straight.resolve(png)) > 1000, png);
            assertTrue(javax.imageio.ImageIO.read(straight.resolve(png).toFile()).getWidth() > 100, png + " is an image");
        }
        assertEquals(2 * 8, Files.readAllLines(straight.resolve("samples.jsonl")).size(), "two steps of 2 x 4 samples");
        assertTrue(Files.exists(Checkpoints.dirFor(straight, 1).resolve(Checkpoints.OPTIMIZER)));
        assertTrue(Files.exists(straight.resolve("final/model.safetensors")));
        assertEquals(0, MainTest.run("generate", "--model", straight.resolve("final").toString(), "--prompt", "Q:").code());
        Path exported = tmp.resolve("exported");
        assertEquals(0, MainTest.run("export", straight.toString(), exported.toString(), "--dtype", "BF16").code());
        assertTrue(Files.exists(exported.resolve("zero4j.json")) && Files.exists(exported.resolve("tokenizer.json")));
        assertEquals(0, MainTest.run("generate", "--model", exported.toString(), "--prompt", "Q:").code());
        assertEquals(2, MainTest.run("export", tmp.resolve("nothing").toString(), exported.toString()).code());

        // Stop after one step, resume, and the second step must match the uninterrupted run's.
        Path split = tmp.resolve("split");
        assertEquals(0, MainTest.run("train", config.toString(), "--set", "run.output_dir=" + split, "--set", "run.steps=1").code());
        MainTest.Result resumed = MainTest.run("train", "--resume", split.toString(), "--set", "run.steps=2");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("held-out accuracy"), "a resumed run still reports against its first evaluation");
        List<JsonNode> b = metrics(split).subList(1, 3);
        assertEquals(2, b.get(1).get("step").asInt());
        for (String key : new String[] {"reward", "loss", "grad_norm", "entropy", "completions/mean_length", "learning_rate"}) {
            assertEquals(a.get(1).get("data").get(key).asDouble(), b.get(1).get("data").get(key).asDouble(), 1e-6,
                    "step 2 " + key + " after resume");
        }
    }

    @Test
    void configMistakesEndWithOneLineAndExitCode2() throws Exception {
        String[][] cases = {
            {"dataset.path=" + tmp.resolve("missing.jsonl"), "dataset.path"},
            {"rewards=[{\"name\":\"acuracy\",\"weight\":1,\"params\":{}}]", "rewards[0].name"},
            {"sampling.num_generations=1", "num_generations"},
            {"algorithm.epsilon=-0.1", "algorithm.epsilon"},
            {"sampling.max_completion_length=5000", "max_completion_length"},
        };
        for (String[] c : cases) {
            MainTest.Result r = MainTest.run("train", config.toString(), "--set", c[0], "--set",
                    "run.output_dir=" + tmp.resolve("bad"));
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
        }
    }
}
