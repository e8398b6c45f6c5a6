package io.zero4j.trainer.eval;

import static io.zero4j.trainer.metrics.MetricNames.*;

import io.zero4j.rewards.MajorityVote;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Thinking;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out evaluation. Always: {@code greedy_pass@1} (correct under greedy decoding), every reward's
 * mean, the mean completion length and the share of completions that reason inside think, all
 * under greedy decoding. With {@code k > 1}, from k samples per problem drawn with the run's
 * sampling settings (temperature, top-k, top-p, min-p): {@code sampled_pass@1} (the mean share of
 * correct samples, R1's pass@1), {@code pass@k} (some sample is correct) and {@code maj@k} (the
 * largest class of equivalent answers is correct, {@link MajorityVote}). Correct means the reward
 * set's verifier ({@link RewardSet#verifier}) gives full marks.
 */
public final class Evaluator {
    /** Time for reading and comparing one sample's answer in the vote, and for checking it. */
    private static final long VOTE_MILLIS = 50;
    private final Policy policy;
    private final RewardSet rewards;
    private final RewardSet.Verifier verifier;
    private final String template;
    private final int maxPromptLength;
    private final int batchSize;

    public Evaluator(Policy policy, RewardSet rewards, String template, int maxPromptLength, int batchSize) {
        this.policy = policy;
        this.rewards = rewards;
        this.verifier = rewards.verifier();
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
        Map<String, Double> out = greedy(problems, sampling);
        if (k > 1) {
            out.putAll(sampled(problems, sampling, k));
        }
        return out;
    }

    private Map<String, Double> greedy(List<Problem> problems, SamplingParams sampling) {
        SamplingParams greedy = SamplingParams.greedy(sampling.maxNewTokens()).withStopStrings(sampling.stopStrings());
        double correct = 0;
        double length = 0;
        double reasoning = 0;
        Map<String, Double> rewardSums = new LinkedHashMap<>();
        for (int from = 0; from < problems.size(); from += batchSize) {
            List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + batchSize));
            for (Completion c : policy.engine().generate(prompts(chunk), 1, greedy).completions()) {
                Sample sample = chunk.get(c.promptIndex()).sample(c.text(), c.length());
                rewards.judge(sample).scores().forEach((n, v) -> rewardSums.merge(n, v, Double::sum));
                correct += verifier.isCorrect(sample, VOTE_MILLIS) ? 1 : 0;
                length += c.length();
                reasoning += Thinking.reasons(c.text()) ? 1 : 0;
            }
        }
        int n = problems.size();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(GREEDY_PASS_AT_1, correct / n);
        out.put(EVAL_MEAN_LENGTH, length / n);
        out.put(EVAL_THINK_SHARE, reasoning / n);
        rewardSums.forEach((name, sum) -> out.put(evalReward(name), sum / n));
        return out;
    }

    private Map<String, Double> sampled(List<Problem> problems, SamplingParams sampling, int k) {
        double correct = 0;
        double length = 0;
        double passK = 0;
        double majK = 0;
        int perChunk = Math.max(1, batchSize / k);
        for (int from = 0; from < problems.size(); from += perChunk) {
            List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + perChunk));
            RolloutBatch batch = policy.engine().generate(prompts(chunk), k, sampling);
            for (int i = 0; i < chunk.size(); i++) {
                List<Sample> samples = new ArrayList<>();
                int right = 0;
                for (int s = 0; s < k; s++) {
                    Completion c = batch.get(i * k + s);
                    samples.add(chunk.get(i).sample(c.text(), c.length()));
                    right += verifier.isCorrect(samples.get(s), VOTE_MILLIS) ? 1 : 0;
                    length += c.length();
                }
                correct += (double) right / k;
                passK += right > 0 ? 1 : 0;
                int voted = MajorityVote.winner(samples, verifier, VOTE_MILLIS);
                majK += voted >= 0 && verifier.isCorrect(samples.get(voted), VOTE_MILLIS) ? 1 : 0;
            }
        }
        int n = problems.size();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(SAMPLED_PASS_AT_1, correct / n);
        out.put(SAMPLED_MEAN_LENGTH, length / ((double) n * k));
        out.put(passAt(k), passK / n);
        out.put(majAt(k), majK / n);
        return out;
    }

    private List<int[]> prompts(List<Problem> chunk) {
        return chunk.stream().map(p -> policy.prompt(template, p.problem(), maxPromptLength)).toList();
    }
}
