package io.zero4j.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code ./zero4j bench} on the toy shape: the JSON carries every figure, consistent with itself; bad options are one line. */
class BenchCommandTest {
    @Test
    void jsonHoldsTheStepSplitAndTheRatesBesideTheirBounds() throws Exception {
        MainTest.Result r = MainTest.run("bench", "--prompts", "2", "--generations", "2", "--prompt-length", "6",
                "--completion-length", "6", "--micro-batch", "2", "--lora-r", "4", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("lora r=4", j.get("adapters").asText());
        for (String key : new String[] {"step_s", "rollout_s", "update_s", "update_tokens_per_s", "train_tokens_per_s",
            "peak_rss_gib", "matmul_gflops", "read_gb_per_s", "prefill_tokens_per_s", "rollout_tokens_per_s"}) {
            assertTrue(j.get(key).asDouble() > 0, key + " in " + j);
        }
        assertEquals(j.get("rollout_s").asDouble() + j.get("reward_s").asDouble() + j.get("update_s").asDouble(),
                j.get("step_s").asDouble(), 1e-9);
        assertEquals(2 * 2 * (6 + 6) / j.get("update_s").asDouble(), j.get("update_tokens_per_s").asDouble(), 1e-6,
                "the update trains every prompt and completion token once");
        for (String batch : new String[] {"1", "8", "64", "4"}) {
            assertTrue(j.get("decode_tokens_per_s").get(batch).asDouble() > 0, "decode at batch " + batch);
        }
        assertTrue(r.err().contains("GRPO step 2 x 2 x 6 (micro-batch 2)"), r.err());
    }

    @Test
    void badOptionsAreOneLine() {
        for (String[] args : new String[][] {{"bench", "--model", "qwen9"}, {"bench", "--generations", "1"},
            {"bench", "--micro-batch", "0"}, {"bench", "--completion-length", "5000"}}) {
            MainTest.Result r = MainTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
