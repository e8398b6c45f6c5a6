package io.zero4j.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.rewards.Choices;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigLoaderTest {
    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void data() throws IOException {
        data = dir.resolve("train.jsonl");
        Files.writeString(data, "{\"question\":\"1+1?\",\"answer\":\"2\"}\n");
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text.replace("DATA", data.toString()).replace("MODEL", dir.toString()));
        return p;
    }

    private String error(String name, String text, String... overrides) throws IOException {
        Path p = write(name, text);
        UserInputException e = assertThrows(UserInputException.class, () -> RunConfigLoader.load(p, List.of(overrides)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void jsonAndYamlOverDefaultsWithOverrides() throws IOException {
        RunConfig json = RunConfigLoader.load(write("a.json",
                "{\"model\":{\"path\":\"MODEL\"},\"dataset\":{\"path\":\"DATA\"},\"sampling\":{\"num_generations\":4,\"temperature\":0.7}}"),
                List.of("algorithm.beta=0.04", "run.output_dir=runs/x", "sampling.stop=[\"</answer>\",\"\\n\\n\"]"));
        assertEquals(4, json.sampling().numGenerations());
        assertEquals(0.7, json.sampling().temperature());
        assertEquals(512, json.sampling().maxCompletionLength(), "default kept");
        assertEquals(0.04, json.algorithm().beta());
        assertEquals("runs/x", json.run().outputDir());
        assertEquals(List.of("</answer>", "\n\n"), json.sampling().stop());
        assertNull(json.algorithm().epsilonHigh());
        assertEquals(0.2, json.algorithm().effectiveEpsilonHigh(), "epsilon_high defaults to epsilon");
        RunConfig yaml = RunConfigLoader.load(write("b.yaml", """
                model:
                  path: MODEL
                dataset:
                  path: DATA
                rewards:
                  - name: countdown
                    weight: 1.0
                    params: {countdown_format: "0.2"}
                algorithm:
                  loss_type: dr_grpo
                  epsilon_high: 0.28
                """), List.of());
        assertEquals("dr_grpo", Choices.name(yaml.algorithm().lossType()));
        assertEquals(0.28, yaml.algorithm().effectiveEpsilonHigh());
        assertEquals("0.2", yaml.rewards().get(0).params().get("countdown_format"));
        assertTrue(yaml.toJson().get("sampling").has("num_generations"), "resolved config keeps TRL's names");
    }

    @Test
    void badConfigsEndWithOneLineNamingTheKey() throws IOException {
        String d = "\"model\":{\"path\":\"MODEL\"},\"dataset\":{\"path\":\"DATA\"}";
        assertTrue(error("c.json", "{\"model\":{\"path\":\"MODEL\"},\"dataset\":{\"path\":\"nope.jsonl\"}}").contains("dataset.path"));
        assertTrue(error("c.json", "{\"model\":{\"path\":\"MODEL\"}}").contains("dataset.path"));
        RunConfig noModel = RunConfigLoader.load(write("c.json", "{\"dataset\":{\"path\":\"DATA\"}}"), List.of());
        UserInputException needsModel = assertThrows(UserInputException.class, () -> CommandKeys.check(noModel, "train", "c.json"));
        assertTrue(needsModel.getMessage().startsWith("c.json: key 'model.path'"), needsModel.getMessage());
        CommandKeys.check(noModel, "distill", "c.json"); // a collection without a comparison trains no model
        String unknown = error("c.json", "{" + d + ",\"sampling\":{\"temprature\":1}}");
        assertTrue(unknown.contains("temprature") && unknown.contains("temperature"), unknown);
        assertTrue(error("c.json", "{" + d + ",\"rewards\":[{\"name\":\"acc\",\"weight\":1,\"params\":{}}]}")
                .contains("rewards[0].name"));
        assertTrue(error("c.json", "{" + d + ",\"sampling\":{\"num_generations\":1}}").contains("num_generations"));
        assertTrue(error("c.json", "{" + d + ",\"algorithm\":{\"epsilon\":-0.1}}").contains("algorithm.epsilon"));
        assertTrue(error("c.json", "{" + d + ",\"algorithm\":{\"loss_type\":\"ppo\"}}").contains("loss_type"));
        String type = error("c.json", "{" + d + ",\"sampling\":{\"top_k\":\"many\"}}");
        assertTrue(type.contains("sampling.top_k") && type.contains("integer"), type);
        assertTrue(error("c.json", "{" + d + "}", "sampling.nope=3").contains("unknown key 'nope'"));
        assertTrue(error("c.json", "{" + d + "}", "nosection.x=3").contains("'nosection'"));
        assertTrue(error("c.json", "{" + d + ",\"optim\":{\"micro_batch_size\":3,\"gradient_accumulation_steps\":4}}").contains("must divide"));
        assertTrue(error("c.json", "{not json").contains("cannot parse"));
    }

    @Test
    void omittedRewardWeightsAreOneAndLossTypeFollowsTheRatioLevel() throws IOException {
        String d = "\"model\":{\"path\":\"MODEL\"},\"dataset\":{\"path\":\"DATA\"}";
        RunConfig c = RunConfigLoader.load(write("w.json", "{" + d + ",\"rewards\":[{\"name\":\"accuracy\"}]}"), List.of());
        assertEquals(1.0, c.rewards().get(0).weight(), "a reward without a weight counts fully, not 0");
        assertEquals("dapo", Choices.name(c.algorithm().effectiveLossType()));
        RunConfig gspo = RunConfigLoader.load(write("g.json", "{" + d + "}"),
                List.of("algorithm.importance_sampling_level=sequence"));
        assertEquals("grpo", Choices.name(gspo.algorithm().effectiveLossType()), "GSPO aggregates per sequence");
        Path bom = dir.resolve("bom.json");
        Files.write(bom, ("\uFEFF{" + d + "}").replace("DATA", data.toString()).replace("MODEL", dir.toString())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(512, RunConfigLoader.load(bom, List.of()).sampling().maxCompletionLength(), "a byte order mark is fine");
    }
}
