package io.zero4j.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zero4j.rewards.Choices;
import io.zero4j.trainer.toy.PretrainConfig;
import io.zero4j.trainer.toy.PretrainConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file in configs/ binds and validates (paths taken from the project root, as ./zero4j runs). */
class ShippedConfigsTest {
    @TempDir
    Path model;

    @Test
    void everyShippedConfigIsValid() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("configs")) && root.getParent() != null) {
            root = root.getParent();
        }
        Path configs = root.resolve("configs");
        assertTrue(Files.isDirectory(configs), "configs/ not found above " + Path.of("").toAbsolutePath());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        int checked = 0;
        try (Stream<Path> files = Files.walk(configs)) { // configs/comparison/ too
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || isRunConfig(p)).sorted().toList()) {
                ObjectNode tree = (ObjectNode) yaml.readTree(f.toFile());
                ObjectNode modelSection = (ObjectNode) tree.get("model");
                if (modelSection.hasNonNull("pretrain")) {
                    modelSection.put("pretrain", root.resolve(modelSection.get("pretrain").asText()).toString());
                } else {
                    modelSection.put("path", model.toString());
                }
                ObjectNode dataset = (ObjectNode) tree.get("dataset");
                for (String key : new String[] {"path", "eval_path"}) {
                    if (dataset.hasNonNull(key) && dataset.get(key).asText().startsWith("runs/")) {
                        // another command's output (sft-toy trains on distill-toy's traces): a shipped stand-in
                        dataset.put(key, root.resolve("data/digit-chains-train.jsonl").toString());
                    } else if (dataset.hasNonNull(key)) {
                        dataset.put(key, root.resolve(dataset.get(key).asText()).normalize().toString());
                    }
                }
                ObjectNode teacher = (ObjectNode) tree.get("teacher");
                if (teacher != null && teacher.hasNonNull("model") && teacher.get("model").asText().startsWith("runs/")) {
                    teacher.put("model", model.toString()); // the default run's final/, which train makes
                }
                RunConfig c = RunConfigLoader.resolve(tree, List.of(), f.toString());
                RunConfigChecks.files(c, f.toString()); // the data it names is shipped
                String name = f.getFileName().toString();
                CommandKeys.check(c, name.startsWith("distill") ? "distill" : name.contains("sft") ? "sft" : "train", f.toString());
                assertTrue(c.run().steps() > 0);
                assertEquals(f.getFileName().toString().contains("-lora"), c.model().lora().enabled(),
                        f + ": the -lora configs, and only they, train adapters");
                checked++;
            }
        }
        assertEquals(10, checked, "the ten shipped run configs");
        PretrainConfig base = PretrainConfigLoader.load(root.resolve("configs/toy-base.json"), List.of());
        assertEquals("digit_chains", Choices.name(base.task().name()));
        assertTrue(Files.isRegularFile(root.resolve(RunConfigLoader.DEFAULT_CONFIG)),
                "./zero4j train without a config runs " + RunConfigLoader.DEFAULT_CONFIG);
    }

    /** JSON files in configs/ are run configs, except the pretraining configs (toy-base*.json). */
    private static boolean isRunConfig(Path p) {
        return p.toString().endsWith(".json") && !p.getFileName().toString().startsWith("toy-base");
    }
}
