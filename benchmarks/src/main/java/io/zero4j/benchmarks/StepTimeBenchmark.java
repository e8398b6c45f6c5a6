package io.zero4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelPresets;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rewards.Choices;
import io.zero4j.rewards.RewardKind;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.ProblemSet;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GRPO step time split into rollout / reward / update, for one model shape at several group sizes
 * and completion lengths: a main, not JMH, because one 0.5B step takes tens of seconds. Each
 * setting runs one warm-up step and {@code STEPS} measured ones; medians are printed as a table.
 *
 * <p>{@code java -cp ... io.zero4j.benchmarks.StepTimeBenchmark toy|qwen2.5-0.5b [TOKENIZER_DIR] [G:LENGTH]}
 */
public final class StepTimeBenchmark {
    static final int STEPS = 3;

    private StepTimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String preset = args.length > 0 ? args[0] : "toy";
        Path qwenTokenizer = Path.of(args.length > 1 ? args[1] : "data/tokenizers/qwen3");
        Path tmp = Files.createTempDirectory("zero4j-steptime");
        Path tokDir = tmp.resolve("tok");
        if (preset.equals("toy")) {
            ModelPresets.toyTokenizer().writeTo(tokDir);
        } else {
            tokDir = qwenTokenizer;
        }
        Path data = tmp.resolve("data.jsonl");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            rows.add("{\"question\":\"What is " + (17 * i + 3) + " plus " + (29 * i + 11) + "?\",\"answer\":\"" + (46 * i + 14) + "\"}");
        }
        Files.write(data, rows);
        int[][] settings = preset.equals("toy")
                ? new int[][] {{4, 32}, {8, 32}, {16, 32}, {8, 64}, {8, 128}}
                : new int[][] {{4, 32}, {8, 32}, {4, 64}};
        if (args.length > 2) { // one setting, "G:LENGTH"
            String[] gl = args[2].split(":");
            settings = new int[][] {{Integer.parseInt(gl[0]), Integer.parseInt(gl[1])}};
        }
        System.out.println("| model | G | completion tokens | step (s) | rollout (s) | reward (s) | update (s) | rollout share |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        try (TextTokenizer tok = TextTokenizer.load(tokDir); CausalLM model = BenchModels.create(preset)) {
            for (int[] s : settings) {
                ObjectNode user = (ObjectNode) new ObjectMapper().readTree("{\"model\":{\"path\":\"" + tmp + "\"},"
                        + "\"dataset\":{\"path\":\"" + data + "\"},\"prompt\":{\"template\":\"Question: {problem}\\nAnswer: <think>\"},"
                        + "\"sampling\":{\"num_generations\":" + s[0] + ",\"max_prompt_length\":64,\"max_completion_length\":" + s[1]
                        + ",\"stop\":[]},\"optim\":{\"prompts_per_step\":2,\"micro_batch_size\":"
                        + (preset.equals("toy") ? 16 : 2) + ",\"learning_rate\":1e-6},\"run\":{\"steps\":100}}");
                RunConfig config = RunConfigLoader.resolve(user, List.of(), "bench");
                RewardSet rewards = RewardSet.parse(List.of(Choices.name(RewardKind.ACCURACY), Choices.name(RewardKind.FORMAT)), Map.of(), 50);
                GrpoLoop trainer = GrpoLoop.of(config, new Policy(model, tok::encode, ids -> tok.decode(ids, false), Set.of()),
                        null, rewards, ProblemSet.read(data, "question", "answer", Set.of()));
                trainer.step(); // warm-up
                List<Double> total = new ArrayList<>();
                List<Double> rollout = new ArrayList<>();
                List<Double> reward = new ArrayList<>();
                List<Double> update = new ArrayList<>();
                for (int i = 0; i < STEPS; i++) {
                    Map<String, Double> m = trainer.step().metrics();
                    rollout.add(m.get("time/rollout_s"));
                    reward.add(m.get("time/reward_s"));
                    update.add(m.get("time/update_s"));
                    total.add(m.get("time/rollout_s") + m.get("time/reward_s") + m.get("time/update_s"));
                }
                System.out.printf("| %s | %d | %d | %.2f | %.2f | %.4f | %.2f | %.2f |%n", preset, s[0], s[1], median(total),
                        median(rollout), median(reward), median(update), median(rollout) / median(total));
            }
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
