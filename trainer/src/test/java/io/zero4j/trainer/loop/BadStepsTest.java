package io.zero4j.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.Devices;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.RandomInit;
import io.zero4j.model.UserInputException;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemStream;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.LearningRateSchedule;
import io.zero4j.trainer.policy.Policy;
import io.zero4j.trainer.rollouts.LocalRolloutBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learning signal that is not finite makes every optimizer step non-finite: each is skipped (the
 * weights stay as they were) and counted, and {@code run.max_bad_steps} of them in a row stop the
 * loop with one line. The loop is built from its parts, with the signal swapped at its seam.
 */
class BadStepsTest {
    @TempDir
    Path dir;

    @Test
    void nonFiniteStepsAreSkippedAndEnoughInARowStopTheLoop() throws Exception {
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, "{\"question\":\"q\",\"answer\":\"a\"}\n");
        ModelPresets.toyTokenizer().writeTo(dir);
        ObjectNode user = (ObjectNode) new ObjectMapper().readTree("{\"model\":{\"path\":\"" + dir + "\"},\"dataset\":{\"path\":\""
                + data + "\"},\"sampling\":{\"num_generations\":2,\"max_prompt_length\":16,\"max_completion_length\":2,\"stop\":[]},"
                + "\"optim\":{\"prompts_per_step\":1,\"micro_batch_size\":2},\"run\":{\"max_bad_steps\":2}}");
        RunConfig config = RunConfigLoader.resolve(user, List.of(), "test");
        try (TextTokenizer tok = TextTokenizer.load(dir);
             CausalLM model = RandomInit.create(ModelPresets.toy(), 3, Devices.host(), DataType.FLOAT32);
             Policy policy = Policy.of(model, tok)) {
            RunConfig.Sampling s = config.sampling();
            GroupSampler sampler = new GroupSampler(new GroupSampler.Settings("Q: {problem}", 16, 2, 1, s::params, 0, false, 1),
                    policy, new LocalRolloutBackend(policy.engine(), RewardSet.parse(List.of("format"), Map.of(), 50)),
                    new ProblemStream(List.of(new Problem("q", "a", List.of(), null)), 0));
            LearningSignal nan = groups -> {
                double[][] out = new GroupAdvantages(config.grpoSettings().scaleRewards()).advantages(groups);
                Arrays.stream(out).forEach(row -> Arrays.fill(row, Double.NaN));
                return out;
            };
            AdamW optimizer = new AdamW(model.parameters(), model.manager(), 0.9, 0.999, 1e-8, 0);
            GrpoUpdate update = new GrpoUpdate(model, null, optimizer, config.grpoSettings(), 1.0,
                    new GrpoUpdate.Batching(2, 1, 1.0, false));
            GrpoLoop loop = new GrpoLoop(sampler, nan, update, optimizer, new LearningRateSchedule(1e-3, 0, 10,
                    LearningRateSchedule.Shape.CONSTANT), config.algorithm(), 1, 0);
            float[] before = model.parameters().get("model.norm.weight").toFloatArray();
            List<Map<String, Double>> rows = new ArrayList<>();
            UserInputException stop = assertThrows(UserInputException.class,
                    () -> loop.run(10, config.run().maxBadSteps(), (state, metrics, batch) -> rows.add(metrics)));
            assertTrue(stop.getMessage().contains("2 steps in a row"), stop.getMessage());
            assertEquals(2, rows.size(), "stopped after max_bad_steps steps");
            for (Map<String, Double> row : rows) {
                assertEquals(1.0, row.get("skipped_steps"), row.toString());
                assertTrue(row.get("grad_norm").isNaN(), row.toString());
            }
            assertEquals(0, optimizer.stepCount(), "no skipped step reached the optimizer");
            assertTrue(Arrays.equals(before, model.parameters().get("model.norm.weight").toFloatArray()),
                    "the weights are untouched");
        }
    }
}
