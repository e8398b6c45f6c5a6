package io.zero4j.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Architecture;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelConfig;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.PaddedBatch;
import io.zero4j.model.RandomInit;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rewards.Budget;
import io.zero4j.rewards.RewardFunction;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Score;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.ProblemSet;
import io.zero4j.trainer.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRPO on a tiny random model learns, from reward alone, to begin its completion with one chosen
 * token: the reward mean rises from under 0.2 to over 0.8 within a bounded number of steps; and one
 * step changes every trainable parameter.
 */
class GrpoLearningTest {
    @TempDir
    Path dir;

    private RunConfig config(int steps) throws Exception {
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, "{\"question\":\"q\",\"answer\":\"a\"}\n");
        ObjectNode user = (ObjectNode) new ObjectMapper().readTree("{\"model\":{\"path\":\"" + dir + "\"},\"dataset\":{\"path\":\"" + data + "\"},"
                + "\"prompt\":{\"template\":\"Say: {problem}\",\"think_prefilled\":false},"
                + "\"sampling\":{\"num_generations\":8,\"max_prompt_length\":32,\"max_completion_length\":3,\"stop\":[]},"
                + "\"optim\":{\"learning_rate\":0.02,\"prompts_per_step\":4,\"micro_batch_size\":16,\"max_grad_norm\":1.0},"
                + "\"run\":{\"steps\":" + steps + ",\"seed\":3}}");
        return RunConfigLoader.resolve(user, List.of(), "test");
    }

    private TextTokenizer toyTokenizer() throws java.io.IOException {
        Path tokDir = dir.resolve("tok");
        ModelPresets.toyTokenizer().writeTo(tokDir);
        return TextTokenizer.load(tokDir);
    }

    private static CausalLM tinyModel(int vocab) {
        ModelConfig c = ModelConfig.of(Architecture.QWEN2, 32, 64, 2, 4, 2, vocab, true, 64);
        CausalLM m = RandomInit.create(c, 11, Device.cpu(), DataType.FLOAT32);
        m.parameters().forEach((name, p) -> {
            if (!name.endsWith("norm.weight") && !name.endsWith(".bias")) {
                p.muli(5); // a non-uniform start, so some tokens are likelier than others
            }
        });
        return m;
    }

    /** The printable ASCII token whose probability as the first completion token is closest to 0.08. */
    private static int chooseToken(CausalLM model, int[] prompt) {
        try (NDManager m = NDManager.newBaseManager(); NDScope ignored = new NDScope()) {
            PaddedBatch b = PaddedBatch.leftPadded(List.of(prompt), 0);
            NDArray hidden = model.forward(b.idsArray(m), b.maskArray(m), b.positionsArray(m), null, 0);
            float[] probs = model.logits(CausalLM.lastPosition(hidden)).softmax(-1).toFloatArray();
            int best = '!';
            for (int t = '!'; t <= '~'; t++) {
                best = Math.abs(probs[t] - 0.08) < Math.abs(probs[best] - 0.08) ? t : best;
            }
            return best;
        }
    }

    private static RewardSet beginsWith(char c) {
        RewardFunction f = new RewardFunction() {
            public String name() {
                return "begins_with";
            }

            public Score score(Sample s, Budget b) {
                return Score.judged(!s.completion().isEmpty() && s.completion().charAt(0) == c ? 1.0 : 0.0);
            }
        };
        return new RewardSet(List.of(new RewardSet.Weighted(f, 1.0)), 50);
    }

    @Test
    void rewardMeanRisesFromUnderPoint2ToOverPoint8() throws Exception {
        try (TextTokenizer tok = toyTokenizer(); CausalLM model = tinyModel(tok.vocabSize())) {
            RunConfig config = config(60);
            int token = chooseToken(model, tok.encode("Say: q"));
            GrpoLoop trainer = GrpoLoop.of(config, new Policy(model, tok::encode, ids -> tok.decode(ids, false), tok.eosIds()), null,
                    beginsWith((char) token), ProblemSet.read(Path.of(config.dataset().path()), "question", "answer", Set.of()));
            double first = trainer.step().metrics().get("reward");
            assertTrue(first < 0.2, "starts low: " + first);
            double last = first;
            int steps = 1;
            while (steps < 60 && last <= 0.8) {
                last = trainer.step().metrics().get("reward");
                steps++;
            }
            System.out.println("reward " + first + " -> " + last + " in " + steps + " steps (token '" + (char) token + "')");
            assertTrue(last > 0.8, "reward mean reached only " + last + " after " + steps + " steps");
        }
    }

    @Test
    void dynamicSamplingKeepsOnlyGroupsWithSignal() throws Exception {
        try (TextTokenizer tok = toyTokenizer(); CausalLM model = tinyModel(tok.vocabSize())) {
            RunConfig base = config(5);
            RunConfig config = RunConfigLoader.resolve((ObjectNode) new ObjectMapper().valueToTree(base.toJson()),
                    List.of("algorithm.dynamic_sampling=true", "algorithm.max_sampling_rounds=4"), "test");
            int token = chooseToken(model, tok.encode("Say: q"));
            GrpoLoop trainer = GrpoLoop.of(config, new Policy(model, tok::encode, ids -> tok.decode(ids, false), tok.eosIds()), null,
                    beginsWith((char) token), ProblemSet.read(Path.of(config.dataset().path()), "question", "answer", Set.of()));
            Map<String, Double> m = trainer.step().metrics();
            assertTrue(m.get("dynamic_sampling/sampled_groups") >= 4, m.toString());
            double kept = m.get("dynamic_sampling/sampled_groups") - m.get("dynamic_sampling/dropped_groups");
            assertTrue(kept <= 4, "never more than prompts_per_step groups: " + m);
            // TRL's frac_reward_zero_std counts every sampled group: the dropped ones are exactly those
            // whose rewards agree, so it is their share (not 0, as it would be over the kept groups alone).
            assertEquals(m.get("dynamic_sampling/dropped_groups") / m.get("dynamic_sampling/sampled_groups"),
                    m.get("frac_reward_zero_std"), 1e-12, m.toString());
            assertTrue(m.get("dynamic_sampling/dropped_groups") > 0, "with a 0.08 hit rate some groups agree: " + m);
        }
    }

    @Test
    void oneStepChangesEveryTrainableParameter() throws Exception {
        try (TextTokenizer tok = toyTokenizer(); CausalLM model = tinyModel(tok.vocabSize())) {
            RunConfig config = config(1);
            Map<String, float[]> before = new HashMap<>();
            model.parameters().forEach((n, p) -> before.put(n, p.toFloatArray()));
            // A reward that varies within every group: the completion's length parity.
            RewardFunction parity = new RewardFunction() {
                public String name() {
                    return "parity";
                }

                public Score score(Sample s, Budget b) {
                    return Score.judged(s.completion().hashCode() % 2 == 0 ? 1.0 : 0.0);
                }
            };
            GrpoLoop trainer = GrpoLoop.of(config, new Policy(model, tok::encode, ids -> tok.decode(ids, false), Set.of()), null,
                    new RewardSet(List.of(new RewardSet.Weighted(parity, 1.0)), 50),
                    ProblemSet.read(Path.of(config.dataset().path()), "question", "answer", Set.of()));
            Map<String, Double> m = trainer.step().metrics();
            assertTrue(m.get("frac_reward_zero_std") < 1.0, "some group must carry signal: " + m);
            model.parameters().forEach((n, p) -> assertTrue(!java.util.Arrays.equals(before.get(n), p.toFloatArray()),
                    n + " did not change"));
        }
    }
}
