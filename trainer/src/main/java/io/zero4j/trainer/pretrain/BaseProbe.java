package io.zero4j.trainer.pretrain;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.zero4j.model.CausalLM;
import io.zero4j.model.ModelLoader;
import io.zero4j.model.tokenizer.TextTokenizer;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Rewards;
import io.zero4j.rewards.synthetic.DigitChains;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.loop.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What a freshly pretrained base model can do, on reserved problems it never saw: its greedy
 * accuracy (how it answers by default), its accuracy when made to answer directly and when made to
 * work step by step, and how often sampling at temperature 1 opens a worked solution (its first
 * tokens do not close think at once). The gap
 * between the two forced accuracies is what RL can win; the sampled share is how often RL sees it.
 */
final class BaseProbe {
    static final int PROBLEMS = 128;
    static final int SAMPLES = 8;

    private BaseProbe() {
    }

    static Map<String, Double> run(Path modelDir, PretrainConfig config, Device device) throws IOException {
        DigitChains task = ToyCorpus.task(config.task());
        SplittableRandom rng = new SplittableRandom(config.seed() ^ 0x7072_6F62_6500L);
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < PROBLEMS; i++) {
            DigitChains.Problem p = task.next(rng, true);
            problems.add(new Problem(p.question(), p.answer(), null, null));
        }
        String template = config.effectiveTemplate();
        int maxNew = 20 * config.task().maxSteps() + 16;
        Map<String, Double> out = new LinkedHashMap<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir);
             CausalLM model = ModelLoader.load(modelDir, device, DataType.FLOAT32)) {
            Set<Integer> eos = new LinkedHashSet<>(tokenizer.eosIds());
            RewardSet accuracy = new RewardSet(List.of(new RewardSet.Weighted(Rewards.create("accuracy", Map.of()), 1.0)),
                    RewardSet.DEFAULT_TIMEOUT_MILLIS);
            Map<String, String> modes = new LinkedHashMap<>();
            modes.put("greedy", "");
            modes.put("direct", "</think>");
            modes.put("worked", ToyCorpus.WORKED_OPENING);
            for (Map.Entry<String, String> mode : modes.entrySet()) {
                Evaluator evaluator = new Evaluator(model, tokenizer::encode, ids -> tokenizer.decode(ids, false), eos, accuracy,
                        template + mode.getValue(), 1024, 64);
                SamplingParams greedy = SamplingParams.greedy(maxNew).withStopStrings(List.of("</answer>"));
                Map<String, Double> m = evaluator.evaluate(problems, greedy, 0);
                out.put(mode.getKey() + "/pass@1", m.get("greedy_pass@1"));
                out.put(mode.getKey() + "/mean_length", m.get("mean_length"));
            }
            RolloutEngine engine = new RolloutEngine(model, ids -> tokenizer.decode(ids, false), eos);
            List<int[]> prompts = problems.stream().map(p -> tokenizer.encode(template.replace("{problem}", p.problem()))).toList();
            SamplingParams opening = new SamplingParams(1.0, 0, 1.0, 0.0, 4, List.of(), config.seed(), Double.NaN);
            double reasoning = 0;
            List<Completion> sampled = engine.generate(prompts, SAMPLES, opening).completions();
            for (Completion c : sampled) {
                reasoning += c.text().stripLeading().startsWith("</think>") ? 0 : 1; // only the opening tokens were sampled
            }
            out.put("sampled/opens_reasoning", reasoning / sampled.size());
        }
        return out;
    }
}
