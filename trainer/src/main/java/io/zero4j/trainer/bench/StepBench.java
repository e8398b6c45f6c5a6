package io.zero4j.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Autograd;
import ai.djl.ndarray.NDArray;
import io.zero4j.model.CausalLM;
import io.zero4j.model.CheckpointedScore;
import io.zero4j.model.CompletionBatch;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.config.RunConfig;
import io.zero4j.trainer.config.RunConfigLoader;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.loop.GrpoLoop;
import io.zero4j.trainer.loop.ScoredBatch;
import io.zero4j.trainer.metrics.MetricNames;
import io.zero4j.trainer.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One GRPO step of a given shape, timed as the run times it (rollout / reward / update), then a bare
 * forward + backward (next-token log-probabilities of the completions, no loss terms, no optimizer) over
 * the same micro-batches of the same batch: the rate the update would reach if only the model cost.
 * Prompts are {@code promptLength} random ids; completions always run to {@code completionLength}
 * (no stop strings, no EOS), so every step trains the same number of tokens.
 */
public final class StepBench {
    /** What one step samples and trains. */
    public record Shape(int prompts, int generations, int promptLength, int completionLength, int microBatch,
                        boolean checkpointing) {
        int rows() {
            return prompts * generations;
        }
    }

    /** Medians over the measured steps; tokens are the real (unpadded) prompt + completion tokens the update trains. */
    record Result(double stepSeconds, double rolloutSeconds, double rewardSeconds, double updateSeconds, double bareSeconds,
                  long trainedTokens, long generatedTokens, double rssBeforeGib, double peakRssGib, boolean peakIsThisStep) {
    }

    private StepBench() {
    }

    static Result run(CausalLM model, Shape shape, int warmupSteps, int measuredSteps) {
        RunConfig config = config(shape);
        RewardSet rewards = config.rewardSet();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            problems.add(new Problem("What is " + (17 * i + 3) + " plus " + (29 * i + 11) + "?", String.valueOf(46 * i + 14),
                    List.of(), null));
        }
        Policy policy = new Policy(model, text -> randomPrompt(text, shape.promptLength(), model.config().vocabSize()),
                StepBench::digits, Set.of());
        GrpoLoop loop = GrpoLoop.of(config, policy, null, rewards, problems);
        for (int i = 0; i < warmupSteps; i++) {
            loop.step();
        }
        double before = ResidentMemory.currentGib();
        boolean reset = ResidentMemory.resetPeak();
        double[] step = new double[measuredSteps];
        double[] rollout = new double[measuredSteps];
        double[] reward = new double[measuredSteps];
        double[] update = new double[measuredSteps];
        ScoredBatch last = null;
        for (int i = 0; i < measuredSteps; i++) {
            GrpoLoop.Step s = loop.step();
            Map<String, Double> m = s.metrics();
            rollout[i] = m.get(MetricNames.ROLLOUT_SECONDS);
            reward[i] = m.get(MetricNames.REWARD_SECONDS);
            update[i] = m.get(MetricNames.UPDATE_SECONDS);
            step[i] = rollout[i] + reward[i] + update[i];
            last = s.batch();
        }
        double peak = ResidentMemory.peakGib();
        ScoredBatch batch = last;
        double bare = Timer.median(0, measuredSteps, () -> bareForwardBackward(model, batch, shape,
                config.sampling().temperature()));
        long tokens = 0;
        long generated = 0;
        for (int r = 0; r < batch.rows(); r++) {
            int completion = batch.rollouts().get(r).length();
            tokens += batch.prompts(r, r + 1).get(0).length + completion;
            generated += completion;
        }
        return new Result(Timer.median(step), Timer.median(rollout), Timer.median(reward), Timer.median(update), bare, tokens,
                generated, before, peak, reset);
    }

    /**
     * Forward and backward of the mean next-token log-probability over the batch's micro-batches (checkpointed
     * as the update is), gradients accumulated and then dropped.
     */
    static void bareForwardBackward(CausalLM model, ScoredBatch batch, Shape shape, double temperature) {
        model.setTrainable(true);
        try (NDManager m = model.manager().newSubManager()) {
            for (int from = 0; from < batch.rows(); from += shape.microBatch()) {
                int to = Math.min(batch.rows(), from + shape.microBatch());
                CompletionBatch b = CompletionBatch.of(batch.prompts(from, to), batch.completions(from, to));
                try (NDScope ignored = new NDScope()) {
                    if (shape.checkpointing()) {
                        CheckpointedScore pass = CheckpointedScore.forward(model, b, m, temperature, false);
                        NDArray logp = pass.logProbs();                                       // [b, C]
                        pass.backward(logp.onesLike().div(-(double) logp.size()));
                    } else {
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            collector.backward(b.score(model, m, temperature, false).logProbs().mean().neg());
                        }
                    }
                }
            }
        } finally {
            Autograd.zeroGradients(model.trainableParameters().values());
            model.setTrainable(false);
        }
    }

    private static RunConfig config(Shape s) {
        ObjectNode user = RunConfigLoader.MAPPER.createObjectNode();
        user.putObject("model").put("path", "bench");
        user.putObject("dataset").put("path", "bench");
        user.putObject("prompt").put("template", "{problem}");
        ObjectNode sampling = user.putObject("sampling");
        sampling.put("num_generations", s.generations()).put("max_prompt_length", s.promptLength())
                .put("max_completion_length", s.completionLength()).putArray("stop");
        user.putObject("optim").put("prompts_per_step", s.prompts()).put("micro_batch_size", s.microBatch())
                .put("learning_rate", 1e-6).put("gradient_checkpointing", s.checkpointing());
        user.putObject("run").put("steps", 1_000_000);
        return RunConfigLoader.resolve(user, List.of(), "bench");
    }

    /** {@code length} ids drawn from the text's hash: a prompt of a fixed length for any vocabulary. */
    private static int[] randomPrompt(String text, int length, int vocab) {
        Random r = new Random(text.hashCode());
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = r.nextInt(vocab);
        }
        return ids;
    }

    /** Ids as digits, so the rewards parse numbers as they would in a run. */
    private static String digits(int[] ids) {
        StringBuilder b = new StringBuilder(ids.length * 2);
        for (int id : ids) {
            b.append(id % 10).append(id % 7 == 0 ? ' ' : "");
        }
        return b.toString();
    }
}
