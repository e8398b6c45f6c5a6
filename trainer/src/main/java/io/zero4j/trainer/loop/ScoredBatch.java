package io.zero4j.trainer.loop;

import io.zero4j.rollout.Completion;
import io.zero4j.rollout.FinishReason;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.grpo.BehaviorCorrection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generation batch as the update and the logs take it, built once per step from the kept groups:
 * the rollouts (prompt-major, G rows per problem, each completion with its token ids and sampling
 * log-probabilities), each row's total reward and per-function scores, each token's advantage, and
 * which rows count in the loss (a truncated completion is left out when so configured).
 *
 * @param advantages per row, one value per completion token
 * @param inLoss     per row, whether its tokens count in the loss
 * @param hasBehaviorLogProbs whether the completions carry their sampler's log-probabilities (a
 *                   run's batches do; sequences handed in by {@link #ofSequences} do not)
 */
public record ScoredBatch(List<Problem> problems, RolloutBatch rollouts, double[] totals, Map<String, double[]> rewardColumns,
                          double[][] advantages, boolean[] inLoss, boolean hasBehaviorLogProbs) {

    /** The kept groups in order, with the signal's advantages. */
    public static ScoredBatch of(List<ScoredGroup> groups, LearningSignal signal, boolean maskTruncated) {
        List<Problem> problems = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<Completion> completions = new ArrayList<>();
        Map<String, double[]> columns = new LinkedHashMap<>();
        int g = groups.isEmpty() ? 1 : groups.get(0).completions().size();
        for (ScoredGroup group : groups) {
            problems.add(group.problem());
            prompts.add(group.promptIds());
            for (Completion c : group.completions()) { // renumbered to their place in this batch
                completions.add(new Completion(completions.size() / g, completions.size() % g, c.tokenIds(), c.logProbs(),
                        c.text(), c.finishReason()));
            }
            group.columns().forEach((name, v) -> columns.merge(name, v, ScoredBatch::concat));
        }
        double[] totals = groups.stream().flatMapToDouble(x -> Arrays.stream(x.totals())).toArray();
        boolean[] inLoss = new boolean[completions.size()];
        for (int r = 0; r < inLoss.length; r++) {
            inLoss[r] = !(maskTruncated && completions.get(r).finishReason() == FinishReason.LENGTH);
        }
        return new ScoredBatch(problems, new RolloutBatch(prompts, g, completions), totals, columns,
                signal.advantages(groups), inLoss, true);
    }

    /**
     * Sequences scored outside a run (users' own loops, tests): row {@code r} is {@code prompts[r]}
     * followed by {@code completions[r]}, with one advantage per sequence and every row in the loss.
     */
    public static ScoredBatch ofSequences(List<int[]> prompts, List<int[]> completions, double[] advantages) {
        List<Completion> rows = new ArrayList<>();
        double[][] perToken = new double[completions.size()][];
        for (int r = 0; r < completions.size(); r++) {
            int[] ids = completions.get(r);
            rows.add(new Completion(r, 0, ids, new float[ids.length], "", FinishReason.STOP));
            perToken[r] = new double[ids.length];
            Arrays.fill(perToken[r], advantages[r]);
        }
        boolean[] inLoss = new boolean[rows.size()];
        Arrays.fill(inLoss, true);
        return new ScoredBatch(List.of(), new RolloutBatch(prompts, 1, rows), new double[rows.size()], Map.of(), perToken,
                inLoss, false);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public int rows() {
        return rollouts.size();
    }

    public boolean isEmpty() {
        return rows() == 0;
    }

    /** Prompt ids of rows {@code [from, to)}. */
    public List<int[]> prompts(int from, int to) {
        List<int[]> out = new ArrayList<>();
        for (int r = from; r < to; r++) {
            out.add(rollouts.promptIds().get(r / rollouts.samplesPerPrompt()));
        }
        return out;
    }

    /** Completion ids of rows {@code [from, to)}. */
    public List<int[]> completions(int from, int to) {
        return rollouts.completions().subList(from, to).stream().map(Completion::tokenIds).toList();
    }

    /** Completion tokens of rows {@code [from, to)} that count in the loss. */
    public long lossTokens(int from, int to) {
        long n = 0;
        for (int r = from; r < to; r++) {
            n += inLoss[r] ? rollouts.get(r).length() : 0;
        }
        return n;
    }

    /** {@code [to - from, width]} row-major: rows' token advantages, 0 past a completion's end. */
    public double[] advantages(int from, int to, int width) {
        double[] out = new double[(to - from) * width];
        for (int r = from; r < to; r++) {
            System.arraycopy(advantages[r], 0, out, (r - from) * width, advantages[r].length);
        }
        return out;
    }

    /**
     * This batch with the rows whose weight between sampler and learner leaves {@code correction}'s
     * band out of the loss; {@code learnerLogProbs} per row, each checked row counted in {@code tally}.
     */
    public ScoredBatch maskedOutside(BehaviorCorrection correction, float[][] learnerLogProbs,
                                     BehaviorCorrection.Mismatch tally) {
        boolean[] kept = inLoss.clone();
        for (int r = 0; r < kept.length; r++) {
            if (kept[r]) {
                kept[r] = correction.keeps(learnerLogProbs[r], rollouts.get(r).logProbs());
                tally.checked(learnerLogProbs[r].length, !kept[r]);
            }
        }
        return new ScoredBatch(problems, rollouts, totals, rewardColumns, advantages, kept, hasBehaviorLogProbs);
    }

    /** {@code [to - from, width]} row-major: rows' sampling log-probabilities, 0 past a completion's end. */
    public float[] behaviorLogProbs(int from, int to, int width) {
        float[] out = new float[(to - from) * width];
        for (int r = from; r < to; r++) {
            float[] lp = rollouts.get(r).logProbs();
            System.arraycopy(lp, 0, out, (r - from) * width, lp.length);
        }
        return out;
    }

    /** The problem row {@code r} answers. */
    public Problem problemOf(int row) {
        return problems.get(row / rollouts.samplesPerPrompt());
    }
}
