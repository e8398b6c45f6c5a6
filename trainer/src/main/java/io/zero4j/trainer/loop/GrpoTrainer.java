package io.zero4j.trainer.loop;

import io.zero4j.model.CausalLM;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Thinking;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.FinishReason;
import io.zero4j.rollout.NonFiniteLogitsException;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.grpo.Advantages;
import io.zero4j.trainer.grpo.GrpoSettings;
import io.zero4j.trainer.optim.AdamW;
import io.zero4j.trainer.optim.LearningRateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One GRPO step at a time, in the order of ARCHITECTURE.md: take prompts, sample G completions each,
 * score them, group advantages, then the update ({@link GrpoUpdate}); returns the step's metrics.
 * Knows nothing of files: the caller logs, evaluates and checkpoints.
 */
public final class GrpoTrainer {
    private final RunConfig config;
    private final CausalLM policy;
    private final Function<String, int[]> encoder;
    private final RewardSet rewards;
    private final List<Problem> train;
    private final RolloutEngine engine;
    private final GrpoUpdate update;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final GrpoSettings settings;
    private final int optimizerStepsPerGeneration;
    private int cursor;
    private int step;

    public GrpoTrainer(RunConfig config, CausalLM policy, CausalLM reference, Function<String, int[]> encoder,
                       Detokenizer detokenizer, Set<Integer> eosIds, RewardSet rewards, List<Problem> train) {
        this.config = config;
        this.policy = policy;
        this.encoder = encoder;
        this.rewards = rewards;
        this.train = train;
        this.engine = new RolloutEngine(policy, detokenizer, eosIds);
        RunConfig.Algorithm a = config.algorithm();
        RunConfig.Optim o = config.optim();
        this.settings = new GrpoSettings(a.epsilon(), a.effectiveEpsilonHigh(), a.beta(),
                GrpoSettings.LossType.valueOf(a.effectiveLossType().toUpperCase()),
                GrpoSettings.ScaleRewards.valueOf(a.scaleRewards().toUpperCase()),
                GrpoSettings.ImportanceSamplingLevel.valueOf(a.importanceSamplingLevel().toUpperCase()),
                config.sampling().maxCompletionLength());
        this.optimizer = new AdamW(policy.parameters(), policy.manager(), o.adamBeta1(), o.adamBeta2(), o.adamEpsilon(),
                o.weightDecay());
        int batch = o.promptsPerStep() * config.sampling().numGenerations();
        int accumulation = o.effectiveAccumulation(batch);
        this.optimizerStepsPerGeneration = GrpoUpdate.optimizerSteps(batch, o.microBatchSize(), accumulation, a.numIterations());
        this.schedule = new LearningRateSchedule(o.learningRate(), o.warmupSteps(),
                config.run().steps() * optimizerStepsPerGeneration,
                LearningRateSchedule.Shape.valueOf(o.lrScheduler().toUpperCase()));
        this.update = new GrpoUpdate(policy, reference, optimizer, settings, config.sampling().temperature(),
                o.microBatchSize(), accumulation, o.maxGradNorm());
    }

    /** The step's completions and their rewards, for sample logs. */
    public record StepOutcome(Map<String, Double> metrics, RolloutBatch batch, double[] rewards, List<Problem> problems) {
    }

    public StepOutcome step() {
        RunConfig.Sampling s = config.sampling();
        int g = s.numGenerations();
        int wanted = config.optim().promptsPerStep();
        boolean dynamic = config.algorithm().dynamicSampling();
        long t0 = System.nanoTime();
        long rolloutNanos = 0;
        List<Problem> problems = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<Completion> completions = new ArrayList<>();
        List<double[]> totals = new ArrayList<>();
        Map<String, List<Double>> columns = new LinkedHashMap<>();
        int sampledGroups = 0;
        int zeroStdGroups = 0;
        int droppedGroups = 0;
        long generated = 0;
        // Dynamic sampling (DAPO) keeps only groups whose rewards differ, sampling more prompts until
        // the batch is full or max_sampling_rounds is reached; without it, one round.
        for (int round = 0; round < (dynamic ? config.algorithm().maxSamplingRounds() : 1) && problems.size() < wanted; round++) {
            List<Problem> drawn = nextProblems(wanted - problems.size());
            List<int[]> drawnPrompts = new ArrayList<>();
            for (Problem p : drawn) {
                drawnPrompts.add(promptIds(p));
            }
            long r0 = System.nanoTime();
            SamplingParams params = s.params(config.run().seed() * 1_000_003L + step * 101L + round);
            RolloutBatch batch;
            try {
                batch = engine.generate(drawnPrompts, g, params);
            } catch (NonFiniteLogitsException e) {
                throw new UserInputException("step " + (step + 1) + ": " + e.getMessage()
                        + " (lower optim.learning_rate, or resume from an earlier checkpoint)");
            }
            rolloutNanos += System.nanoTime() - r0;
            generated += batch.generatedTokens();
            for (int q = 0; q < drawn.size(); q++) {
                double[] groupTotals = new double[g];
                Map<String, double[]> groupColumns = new LinkedHashMap<>();
                for (int j = 0; j < g; j++) {
                    Completion c = batch.get(q * g + j);
                    Problem p = drawn.get(q);
                    RewardSet.Judgement judged = rewards.judge(new Sample(c.text(), p.answer(), p.numbers(), p.target(), c.length()));
                    groupTotals[j] = judged.total();
                    int at = j;
                    judged.scores().forEach((name, v) -> groupColumns.computeIfAbsent(name, k -> new double[g])[at] = v);
                }
                sampledGroups++;
                boolean agree = std(groupTotals) == 0;
                zeroStdGroups += agree ? 1 : 0;
                if (dynamic && agree) {
                    droppedGroups++;
                    continue;
                }
                problems.add(drawn.get(q));
                prompts.add(drawnPrompts.get(q));
                totals.add(groupTotals);
                for (int j = 0; j < g; j++) {
                    completions.add(batch.get(q * g + j));
                }
                groupColumns.forEach((name, v) -> {
                    List<Double> col = columns.computeIfAbsent(name, k -> new ArrayList<>());
                    Arrays.stream(v).forEach(col::add);
                });
            }
        }
        long t2 = System.nanoTime();
        double[] total = totals.stream().flatMapToDouble(Arrays::stream).toArray();
        double[] advantages = Advantages.compute(total, g, settings.scaleRewards());
        List<int[]> rowPrompts = new ArrayList<>();
        List<int[]> rowCompletions = new ArrayList<>();
        boolean[] masked = new boolean[completions.size()];
        for (int r = 0; r < completions.size(); r++) {
            rowPrompts.add(prompts.get(r / g));
            rowCompletions.add(completions.get(r).tokenIds());
            masked[r] = config.algorithm().maskTruncatedCompletions() && completions.get(r).finishReason() == FinishReason.LENGTH;
        }
        GrpoUpdate.Stats stats = completions.isEmpty() ? GrpoUpdate.Stats.NONE
                : update.apply(rowPrompts, rowCompletions, masked, advantages, config.algorithm().numIterations(), schedule::at);
        long t3 = System.nanoTime();
        RolloutBatch kept = new RolloutBatch(prompts, g, reindex(completions, g));
        Map<String, double[]> cols = new LinkedHashMap<>();
        columns.forEach((name, v) -> cols.put(name, v.stream().mapToDouble(Double::doubleValue).toArray()));
        // frac_reward_zero_std counts every sampled group, dropped ones too (TRL's meaning)
        Map<String, Double> m = metrics(kept, total, cols, stats, (double) zeroStdGroups / sampledGroups,
                t0, t0 + rolloutNanos, t2, t3);
        m.put("tokens_per_second", generated / ((t3 - t0) / 1e9)); // every sampled token, dropped groups' too
        if (dynamic) {
            m.put("dynamic_sampling/sampled_groups", (double) sampledGroups);
            m.put("dynamic_sampling/dropped_groups", (double) droppedGroups);
        }
        step++;
        return new StepOutcome(m, kept, total, problems);
    }

    /** Completions renumbered to their place in the kept batch (prompt r / G, sample r % G). */
    private static List<Completion> reindex(List<Completion> completions, int g) {
        List<Completion> out = new ArrayList<>();
        for (int r = 0; r < completions.size(); r++) {
            Completion c = completions.get(r);
            out.add(new Completion(r / g, r % g, c.tokenIds(), c.logProbs(), c.text(), c.finishReason()));
        }
        return out;
    }

    public int stepCount() {
        return step;
    }

    /**
     * Whether every generation batch feeds exactly one optimizer step, so the old log-probabilities
     * are the current ones and the policy ratio is exactly 1.
     */
    public boolean ratioIsExactlyOne() {
        return optimizerStepsPerGeneration == 1;
    }

    /** Where the run stands, for checkpoints: steps done and the data position. */
    public record State(int step, int cursor, int optimizerSteps) {
    }

    public State state() {
        return new State(step, cursor, optimizer.stepCount());
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Continues from a checkpoint's position: the step and the data cursor (the optimizer is restored on its own). */
    public void restore(State s) {
        step = s.step();
        cursor = s.cursor();
    }

    private int[] promptIds(Problem p) {
        int[] ids = encoder.apply(config.prompt().template().replace("{problem}", p.problem()));
        int max = config.sampling().maxPromptLength();
        return ids.length <= max ? ids : Arrays.copyOfRange(ids, ids.length - max, ids.length); // keep the end
    }

    private List<Problem> nextProblems(int n) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int epoch = cursor / train.size();
            List<Problem> order = ProblemSet.shuffled(train, config.dataset().shuffleSeed() + epoch);
            out.add(order.get(cursor % train.size()));
            cursor++;
        }
        return out;
    }

    private Map<String, Double> metrics(RolloutBatch batch, double[] total, Map<String, double[]> columns,
                                        GrpoUpdate.Stats stats, double fracZeroStd, long t0, long t1, long t2, long t3) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("reward", mean(total));
        m.put("reward_std", std(total));
        columns.forEach((name, v) -> {
            m.put("rewards/" + name + "/mean", mean(v));
            m.put("rewards/" + name + "/std", std(v));
        });
        m.put("frac_reward_zero_std", fracZeroStd);
        double[] lengths = batch.completions().stream().mapToDouble(Completion::length).toArray();
        m.put("completions/mean_length", mean(lengths));
        m.put("completions/min_length", Arrays.stream(lengths).min().orElse(0));
        m.put("completions/max_length", Arrays.stream(lengths).max().orElse(0));
        m.put("completions/think_share", batch.size() == 0 ? Double.NaN : batch.completions().stream()
                .filter(c -> Thinking.reasons(c.text())).count() / (double) batch.size());
        m.put("completions/clipped_ratio", batch.size() == 0 ? Double.NaN : batch.completions().stream()
                .filter(c -> c.finishReason() == FinishReason.LENGTH).count() / (double) batch.size());
        m.put("loss", stats.meanLoss());
        m.put("grad_norm", stats.meanGradNorm());
        m.put("clip_ratio/low_mean", stats.clipLowFraction());
        m.put("clip_ratio/high_mean", stats.clipHighFraction());
        if (settings.beta() > 0) {
            m.put("kl", stats.meanKl());
        }
        m.put("entropy", stats.meanEntropy());
        m.put("learning_rate", stats.lastLearningRate());
        m.put("skipped_steps", (double) stats.skippedSteps());
        m.put("time/rollout_s", (t1 - t0) / 1e9);
        m.put("time/reward_s", (t2 - t1) / 1e9);
        m.put("time/update_s", (t3 - t2) / 1e9);
        return m;
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    static double std(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double mu = mean(x);
        return Math.sqrt(Arrays.stream(x).map(v -> (v - mu) * (v - mu)).sum() / (x.length - 1));
    }
}
