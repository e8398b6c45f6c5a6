package io.zero4j.trainer.toy;

import ai.djl.Device;
import io.zero4j.rewards.Choices;
import io.zero4j.rewards.RewardKind;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.eval.Evaluator;
import io.zero4j.trainer.metrics.MetricNames;
import io.zero4j.trainer.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** Prompt tokens kept: the toy's prompts are far shorter, so none is cut. */
    private static final int PROMPT_LIMIT = 1024;

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
        try (Policy policy = Policy.load(modelDir, device)) {
            RewardSet accuracy = RewardSet.parse(List.of(Choices.name(RewardKind.ACCURACY)), Map.of(),
                    RewardSet.DEFAULT_TIMEOUT_MILLIS);
            Map<String, String> modes = new LinkedHashMap<>();
            modes.put("greedy", "");
            modes.put("direct", "</think>");
            modes.put("worked", ToyCorpus.WORKED_OPENING);
            SamplingParams greedy = SamplingParams.greedy(maxNew).withStopStrings(List.of("</answer>"));
            for (Map.Entry<String, String> mode : modes.entrySet()) {
                Evaluator evaluator = new Evaluator(policy, accuracy, template + mode.getValue(), PROMPT_LIMIT, 64);
                Map<String, Double> m = evaluator.evaluate(problems, greedy, 0);
                out.put(mode.getKey() + "/pass@1", m.get(MetricNames.GREEDY_PASS_AT_1));
                out.put(mode.getKey() + "/mean_length", m.get(MetricNames.EVAL_MEAN_LENGTH));
            }
            List<int[]> prompts = problems.stream().map(p -> policy.prompt(template, p.problem(), PROMPT_LIMIT)).toList();
            SamplingParams opening = new SamplingParams(1.0, 0, 1.0, 0.0, 4, List.of(), config.seed(), Double.NaN);
            double reasoning = 0;
            List<Completion> sampled = policy.engine().generate(prompts, SAMPLES, opening).completions();
            for (Completion c : sampled) {
                reasoning += c.text().stripLeading().startsWith("</think>") ? 0 : 1; // only the opening tokens were sampled
            }
            out.put("sampled/opens_reasoning", reasoning / sampled.size());
        }
        return out;
    }
}
