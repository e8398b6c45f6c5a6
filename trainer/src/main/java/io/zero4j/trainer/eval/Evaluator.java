package io.zero4j.trainer.eval;

import io.zero4j.model.CausalLM;
import io.zero4j.rewards.AccuracyReward;
import io.zero4j.rewards.CountdownReward;
import io.zero4j.rewards.MajorityVote;
import io.zero4j.rewards.RewardFunction;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Thinking;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.loop.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Held-out evaluation. Always: {@code greedy_pass@1} (correct under greedy decoding), every reward's
 * mean, the mean completion length and the share of completions that reason inside think, all
 * under greedy decoding. With {@code k > 1}, from k samples per problem drawn with the run's
 * sampling settings (temperature, top-k, top-p, min-p): {@code sampled_pass@1} (the mean share of
 * correct samples, R1's pass@1), {@code pass@k} (some sample is correct) and {@code maj@k} (the
 * largest class of equivalent answers is correct, {@link MajorityVote}). Correct means the task's
 * verifier gives full marks: countdown's for countdown runs, accuracy's otherwise.
 */
public final class Evaluator {
    /** Time for reading and comparing one sample's answer in the vote. */
    private static final long VOTE_MILLIS = 50;
    private final RewardFunction correctness;
    private final MajorityVote.Task task;
    private final Function<String, int[]> encoder;
    private final RolloutEngine engine;
    private final RewardSet rewards;
    private final String template;
    private final int maxPromptLength;
    private final int batchSize;

    public Evaluator(CausalLM model, Function<String, int[]> encoder, Detokenizer detokenizer, Set<Integer> eos,
                     RewardSet rewards, String template, int maxPromptLength, int batchSize) {
        boolean countdown = rewards.names().contains("countdown");
        this.correctness = countdown ? new CountdownReward(1.0, 0.0) : AccuracyReward.withDefaultChain();
        this.task = countdown ? MajorityVote.Task.COUNTDOWN : MajorityVote.Task.MATH;
        this.encoder = encoder;
        this.engine = new RolloutEngine(model, detokenizer, eos);
        this.rewards = rewards;
        this.template = template;
        this.maxPromptLength = maxPromptLength;
        this.batchSize = batchSize;
    }

    /**
     * Metric name to value: {@code greedy_pass@1}, {@code mean_length}, {@code think_share},
     * {@code reward/NAME}, and with {@code k > 1} {@code sampled_pass@1}, {@code sampled_mean_length},
     * {@code pass@k}, {@code maj@k}.
     *
     * @param sampling how the k samples are drawn; its length limit and stop strings serve greedy decoding too
     */
    public Map<String, Double> evaluate(List<Problem> problems, SamplingParams sampling, int k) {
        Map<String, Double> out = new LinkedHashMap<>();
        SamplingParams greedy = SamplingParams.greedy(sampling.maxNewTokens()).withStopStrings(sampling.stopStrings());
        double correct = 0;
        double length = 0;
        double reasoning = 0;
        Map<String, Double> rewardSums = new LinkedHashMap<>();
        for (int from = 0; from < problems.size(); from += batchSize) {
            List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + batchSize));
            RolloutBatch batch = engine.generate(prompts(chunk), 1, greedy);
            for (Completion c : batch.completions()) {
                Problem p = chunk.get(c.promptIndex());
                RewardSet.Judgement j = rewards.judge(sample(c.text(), p, c.length()));
                j.scores().forEach((n, v) -> rewardSums.merge(n, v, Double::sum));
                correct += isCorrect(c.text(), p) ? 1 : 0;
                length += c.length();
                reasoning += Thinking.reasons(c.text()) ? 1 : 0;
            }
        }
        int n = problems.size();
        out.put("greedy_pass@1", correct / n);
        out.put("mean_length", length / n);
        out.put("think_share", reasoning / n);
        rewardSums.forEach((name, sum) -> out.put("reward/" + name, sum / n));
        if (k > 1) {
            double sampledCorrect = 0;
            double sampledLength = 0;
            double passK = 0;
            double majK = 0;
            int perChunk = Math.max(1, batchSize / k);
            for (int from = 0; from < problems.size(); from += perChunk) {
                List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + perChunk));
                RolloutBatch batch = engine.generate(prompts(chunk), k, sampling);
                for (int i = 0; i < chunk.size(); i++) {
                    Problem p = chunk.get(i);
                    List<Sample> samples = new ArrayList<>();
                    int right = 0;
                    for (int s = 0; s < k; s++) {
                        Completion c = batch.get(i * k + s);
                        samples.add(sample(c.text(), p, c.length()));
                        right += isCorrect(c.text(), p) ? 1 : 0;
                        sampledLength += c.length();
                    }
                    sampledCorrect += (double) right / k;
                    passK += right > 0 ? 1 : 0;
                    int voted = MajorityVote.winner(samples, task, VOTE_MILLIS);
                    majK += voted >= 0 && isCorrect(samples.get(voted).completion(), p) ? 1 : 0;
                }
            }
            out.put("sampled_pass@1", sampledCorrect / n);
            out.put("sampled_mean_length", sampledLength / ((double) n * k));
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

    private static Sample sample(String text, Problem p, int tokens) {
        return new Sample(text, p.answer(), p.numbers(), p.target(), tokens);
    }

    /** Correct by the task's own verifier: countdown's when the run scores countdown, accuracy's otherwise. */
    private boolean isCorrect(String text, Problem p) {
        return correctness.safeScore(sample(text, p, -1), 50).value() == 1.0;
    }
}
