package io.zero4j.rollout;

import java.util.List;

/**
 * G completions for each of P prompts, prompt-major (row {@code r} continues prompt {@code r / G}),
 * with right-padded views for the trainer.
 */
public record RolloutBatch(List<int[]> promptIds, int samplesPerPrompt, List<Completion> completions) {
    public RolloutBatch {
        promptIds = List.copyOf(promptIds);
        completions = List.copyOf(completions);
    }

    public int size() {
        return completions.size();
    }

    public Completion get(int row) {
        return completions.get(row);
    }

    /** The longest completion, the width of the padded views. */
    public int maxLength() {
        return completions.stream().mapToInt(Completion::length).max().orElse(0);
    }

    /** {@code [rows, maxLength]} token ids, right-padded with {@code padId}. */
    public int[][] completionIds(int padId) {
        int width = maxLength();
        int[][] out = new int[size()][width];
        for (int r = 0; r < size(); r++) {
            int[] t = completions.get(r).tokenIds();
            System.arraycopy(t, 0, out[r], 0, t.length);
            java.util.Arrays.fill(out[r], t.length, width, padId);
        }
        return out;
    }

    /** {@code [rows, maxLength]}: 1 on completion tokens, 0 on padding. */
    public float[][] completionMask() {
        int width = maxLength();
        float[][] out = new float[size()][width];
        for (int r = 0; r < size(); r++) {
            java.util.Arrays.fill(out[r], 0, completions.get(r).length(), 1f);
        }
        return out;
    }

    /** {@code [rows, maxLength]} sampling log-probabilities, 0 on padding. */
    public float[][] logProbs() {
        int width = maxLength();
        float[][] out = new float[size()][width];
        for (int r = 0; r < size(); r++) {
            float[] lp = completions.get(r).logProbs();
            System.arraycopy(lp, 0, out[r], 0, lp.length);
        }
        return out;
    }

    public long generatedTokens() {
        return completions.stream().mapToLong(Completion::length).sum();
    }
}
