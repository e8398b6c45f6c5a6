package io.zero4j.trainer.loop;

import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.NonFiniteLogitsException;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.rollout.RolloutSource;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.data.ProblemStream;
import io.zero4j.trainer.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The first half of a GRPO step: draw problems, sample G completions of each (from a
 * {@link RolloutSource}), score them, and keep the groups that carry signal. Without dynamic sampling
 * every group is kept after one round; with it (DAPO) groups whose rewards all agree are dropped and
 * more problems are drawn until the batch is full or {@code max_sampling_rounds} is reached.
 */
public final class GroupSampler {
    /** How a step samples: {@code params} gives the sampling settings for a seed. */
    public record Settings(String template, int maxPromptLength, int generations, int promptsPerStep,
                           LongFunction<SamplingParams> params, long seed, boolean dynamic, int maxRounds) {
    }

    /** The kept groups and what it took to get them. */
    public record Collected(List<ScoredGroup> kept, int sampledGroups, int agreeingGroups, long generatedTokens,
                            long rolloutNanos, long rewardNanos) {
    }

    private final Settings settings;
    private final Policy policy;
    private final RolloutSource source;
    private final RewardSet rewards;
    private final ProblemStream problems;

    public GroupSampler(Settings settings, Policy policy, RolloutSource source, RewardSet rewards, ProblemStream problems) {
        this.settings = settings;
        this.policy = policy;
        this.source = source;
        this.rewards = rewards;
        this.problems = problems;
    }

    public ProblemStream problems() {
        return problems;
    }

    /** The groups of step {@code step} (1-based). */
    public Collected collect(int step) {
        List<ScoredGroup> kept = new ArrayList<>();
        int sampled = 0;
        int agreeing = 0;
        long tokens = 0;
        long rolloutNanos = 0;
        long rewardNanos = 0;
        int rounds = settings.dynamic() ? settings.maxRounds() : 1;
        for (int round = 0; round < rounds && kept.size() < settings.promptsPerStep(); round++) {
            List<Problem> drawn = problems.next(settings.promptsPerStep() - kept.size());
            long t0 = System.nanoTime();
            RolloutBatch batch = sample(drawn, step, round);
            long t1 = System.nanoTime();
            List<ScoredGroup> scored = score(drawn, batch);
            rewardNanos += System.nanoTime() - t1;
            rolloutNanos += t1 - t0;
            tokens += batch.generatedTokens();
            sampled += scored.size();
            agreeing += (int) scored.stream().filter(ScoredGroup::rewardsAgree).count();
            kept.addAll(filter(scored));
        }
        return new Collected(kept, sampled, agreeing, tokens, rolloutNanos, rewardNanos);
    }

    private RolloutBatch sample(List<Problem> drawn, int step, int round) {
        List<int[]> prompts = new ArrayList<>();
        for (Problem p : drawn) {
            prompts.add(policy.prompt(settings.template(), p.problem(), settings.maxPromptLength()));
        }
        SamplingParams params = settings.params().apply(settings.seed() * 1_000_003L + (step - 1) * 101L + round);
        try {
            return source.generate(prompts, settings.generations(), params);
        } catch (NonFiniteLogitsException e) {
            throw new UserInputException("step " + step + ": " + e.getMessage()
                    + " (lower optim.learning_rate, or resume from an earlier checkpoint)");
        }
    }

    private List<ScoredGroup> score(List<Problem> drawn, RolloutBatch batch) {
        int g = settings.generations();
        List<ScoredGroup> out = new ArrayList<>();
        for (int q = 0; q < drawn.size(); q++) {
            Problem p = drawn.get(q);
            double[] totals = new double[g];
            Map<String, double[]> columns = new LinkedHashMap<>();
            List<Completion> completions = batch.completions().subList(q * g, (q + 1) * g);
            for (int j = 0; j < g; j++) {
                Completion c = completions.get(j);
                RewardSet.Judgement judged = rewards.judge(p.sample(c.text(), c.length()));
                totals[j] = judged.total();
                int at = j;
                judged.scores().forEach((name, v) -> columns.computeIfAbsent(name, k -> new double[g])[at] = v);
            }
            out.add(new ScoredGroup(p, batch.promptIds().get(q), completions, totals, columns));
        }
        return out;
    }

    /** Dynamic sampling's filter: only groups whose rewards differ (all groups without it). */
    private List<ScoredGroup> filter(List<ScoredGroup> scored) {
        return settings.dynamic() ? scored.stream().filter(s -> !s.rewardsAgree()).toList() : scored;
    }
}
