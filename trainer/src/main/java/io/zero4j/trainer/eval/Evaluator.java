package io.zero4j.trainer.eval;

import io.zero4j.model.CausalLM;
import io.zero4j.rewards.AccuracyReward;
import io.zero4j.rewards.AnswerExtractor;
import io.zero4j.rewards.Budget;
import io.zero4j.rewards.CountdownReward;
import io.zero4j.rewards.RewardFunction;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Thinking;
import io.zero4j.rewards.math.AnswerNormalizer;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.loop.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Held-out evaluation: greedy pass@1 (the accuracy reward's mean under greedy decoding) and, when
 * {@code k > 1}, pass@k (some of k samples is correct) and maj@k (the most common extracted answer
 * among k samples is correct), with every reward's mean, the mean completion length and the share
 * of completions that reason inside think. Correct
 * means the task's verifier gives full marks: countdown's for countdown runs, accuracy's otherwise.
 */
public final class Evaluator {
    private final RewardFunction correctness;
    private final Function<String, int[]> encoder;
    private final RolloutEngine engine;
    private final RewardSet rewards;
    private final String template;
    private final int maxPromptLength;
    private final int batchSize;

    public Evaluator(CausalLM model, Function<String, int[]> encoder, Detokenizer detokenizer, Set<Integer> eos,
                     RewardSet rewards, String template, int maxPromptLength, int batchSize) {
        this.correctness = rewards.names().contains("countdown") ? new CountdownReward(1.0, 0.0) : AccuracyReward.withDefaultChain();
        this.encoder = encoder;
        this.engine = new RolloutEngine(model, detokenizer, eos);
        this.rewards = rewards;
        this.template = template;
        this.maxPromptLength = maxPromptLength;
        this.batchSize = batchSize;
    }

    /** Metric name to value: {@code pass@1}, {@code pass@k}, {@code maj@k}, {@code mean_length}, {@code think_share}
     *  (completions that wrote something inside think), {@code reward/NAME}. */
    public Map<String, Double> evaluate(List<Problem> problems, int maxNewTokens, List<String> stop, int k, double temperature,
                                        long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        SamplingParams greedy = SamplingParams.greedy(maxNewTokens).withStopStrings(stop);
        double correct = 0;
        double length = 0;
        double reasoning = 0;
        Map<String, Double> rewardSums = new LinkedHashMap<>();
        for (int from = 0; from < problems.size(); from += batchSize) {
            List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + batchSize));
            RolloutBatch batch = engine.generate(prompts(chunk), 1, greedy);
            for (Completion c : batch.completions()) {
                Problem p = chunk.get(c.promptIndex());
                RewardSet.Judgement j = rewards.judge(sample(c, p));
                j.scores().forEach((n, v) -> rewardSums.merge(n, v, Double::sum));
                correct += isCorrect(c.text(), p) ? 1 : 0;
                length += c.length();
                reasoning += Thinking.reasons(c.text()) ? 1 : 0;
            }
        }
        int n = problems.size();
        out.put("pass@1", correct / n);
        out.put("mean_length", length / n);
        out.put("think_share", reasoning / n);
        rewardSums.forEach((name, sum) -> out.put("reward/" + name, sum / n));
        if (k > 1) {
            SamplingParams sampled = new SamplingParams(temperature, 0, 1.0, 0.0, maxNewTokens, stop, seed, Double.NaN);
            double passK = 0;
            double majK = 0;
            for (int from = 0; from < problems.size(); from += Math.max(1, batchSize / k)) {
                List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + Math.max(1, batchSize / k)));
                RolloutBatch batch = engine.generate(prompts(chunk), k, sampled);
                for (int i = 0; i < chunk.size(); i++) {
                    Problem p = chunk.get(i);
                    List<String> texts = new ArrayList<>();
                    for (int s = 0; s < k; s++) {
                        texts.add(batch.get(i * k + s).text());
                    }
                    passK += texts.stream().anyMatch(t -> isCorrect(t, p)) ? 1 : 0;
                    String voted = majority(texts);
                    majK += voted != null && isCorrect(voted, p) ? 1 : 0;
                }
            }
            out.put("pass@" + k, passK / n);
            out.put("maj@" + k, majK / n);
        }
        return out;
    }

    private List<int[]> prompts(List<Problem> chunk) {
        List<int[]> out = new ArrayList<>();
        for (Problem p : chunk) {
            int[] ids = encoder.apply(template.replace("{problem}", p.problem()));
            out.add(ids.length <= maxPromptLength ? ids : Arrays.copyOfRange(ids, ids.length - maxPromptLength, ids.length));
        }
        return out;
    }

    private static Sample sample(Completion c, Problem p) {
        return new Sample(c.text(), p.answer(), p.numbers(), p.target(), c.length());
    }

    /** Correct by the task's own verifier: countdown's when the run scores countdown, accuracy's otherwise. */
    private boolean isCorrect(String text, Problem p) {
        return correctness.safeScore(new Sample(text, p.answer(), p.numbers(), p.target(), -1), 50).value() == 1.0;
    }

    /** The completion whose extracted answer is the most common (normalised); null when none has one. */
    static String majority(List<String> texts) {
        Map<String, Integer> votes = new HashMap<>();
        Map<String, String> example = new HashMap<>();
        String best = null;
        for (String t : texts) {
            String answer = AnswerExtractor.firstOf(AccuracyReward.DEFAULT_CHAIN, t, Budget.ofMillis(50));
            if (answer == null || answer.length() > 1000) {
                continue;
            }
            String key = AnswerNormalizer.normalize(answer, Budget.ofMillis(50)).text();
            int v = votes.merge(key, 1, Integer::sum);
            example.putIfAbsent(key, t);
            if (best == null || v > votes.get(best)) {
                best = key;
            }
        }
        return best == null ? null : example.get(best);
    }
}
