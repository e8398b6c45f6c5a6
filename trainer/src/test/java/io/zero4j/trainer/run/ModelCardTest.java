package io.zero4j.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model card's metadata names a base the Hub knows, never a local path. */
class ModelCardTest {
    @TempDir
    Path tmp;

    private static String cardOf(Path base) throws Exception {
        ObjectNode user = (ObjectNode) RunConfigLoader.MAPPER.readTree("{\"model\":{\"path\":\"" + base + "\"},"
                + "\"dataset\":{\"path\":\"problems.jsonl\"}}");
        RunConfig config = RunConfigLoader.resolve(user, List.of(), "test.json");
        return ModelCard.of(config, "grpo", Map.of(), Map.of(), 3);
    }

    @Test
    void theBaseModelMetadataIsAHubIdOrAbsent() throws Exception {
        Path cached = Files.createDirectories(tmp.resolve("hub/models--Qwen--Qwen2.5-0.5B/snapshots/0a1b2c"));
        String hub = cardOf(cached);
        assertTrue(hub.startsWith("---\nlibrary_name: transformers\nbase_model: \"Qwen/Qwen2.5-0.5B\"\ntags:\n"), hub);
        Path local = Files.createDirectories(tmp.resolve("models/Qwen2.5-0.5B"));
        String card = cardOf(local);
        assertTrue(card.startsWith("---\nlibrary_name: transformers\ntags:\n"), card);
        assertTrue(card.contains("from `" + local + "` with **grpo**"), card);
        assertEquals("org/name--with--dashes", ModelCard.hubId(tmp.resolve("models--org--name--with--dashes/snapshots/r")));
        assertNull(ModelCard.hubId(tmp.resolve("models--org--name")), "not a snapshot");
        assertNull(ModelCard.hubId(tmp.resolve("models--org/snapshots/r")), "no name");
    }
}
