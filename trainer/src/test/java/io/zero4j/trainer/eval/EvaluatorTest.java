package io.zero4j.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.testing.TinyModels;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The k evaluation samples are drawn with the configured filters, and the metrics say which are greedy. */
class EvaluatorTest {
    @Test
    void sampledEvaluationUsesTopKTopPAndMinP() {
        try (CausalLM model = TinyModels.sharpModel(TinyModels.qwen2(), 21, DataType.FLOAT32)) {
            // A third of the vocabulary ends a completion, so sampled lengths vary unless sampling is greedy in effect.
            Set<Integer> eos = Set.copyOf(IntStream.range(0, 20).boxed().toList());
            Policy policy = new Policy(model, text -> text.chars().map(c -> 20 + c % 41).toArray(), ids -> "x".repeat(ids.length),
                    eos);
            Evaluator evaluator = new Evaluator(policy, RewardSet.parse(List.of("accuracy"), Map.of(), 50), "Q {problem}", 16, 64);
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                problems.add(new Problem("p" + i * 7, "1", List.of(), null));
            }
            SamplingParams sampled = new SamplingParams(1.0, 12, 5);
            Map<String, Double> free = evaluator.evaluate(problems, sampled, 4);
            for (SamplingParams greedyInEffect : new SamplingParams[] {sampled.withTopK(1), sampled.withTopP(1e-6),
                sampled.withMinP(0.999)}) {
                Map<String, Double> m = evaluator.evaluate(problems, greedyInEffect, 4);
                assertEquals(m.get("mean_length"), m.get("sampled_mean_length"), 1e-12,
                        "with the filter keeping only the best token, every sample is the greedy completion: " + m);
            }
            assertNotEquals(free.get("mean_length"), free.get("sampled_mean_length"), "unfiltered samples differ: " + free);
            for (String key : new String[] {"greedy_pass@1", "sampled_pass@1", "pass@4", "maj@4", "mean_length"}) {
                assertTrue(free.containsKey(key), key + " in " + free);
            }
        }
    }
}
