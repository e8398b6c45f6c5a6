package io.zero4j.trainer.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Prompt + completion sequences laid out for scoring: prompts left-padded to a common width W, then
 * completions right-padded, so every row's completion starts at column W. The hidden states at
 * columns {@code W-1 .. W+C-2} predict the completion tokens.
 *
 * @param ids            {@code [B, W + C]} token ids (0 on padding)
 * @param attention      {@code [B, W + C]} 1 on real tokens
 * @param positions      {@code [B, W + C]} RoPE positions counting real tokens only
 * @param completionIds  {@code [B, C]}
 * @param completionMask {@code [B, C]} 1 on completion tokens
 */
public record SequenceBatch(long[] ids, long[] attention, long[] positions, long[] completionIds, float[] completionMask,
                            int rows, int promptWidth, int completionWidth) {

    public static SequenceBatch of(List<int[]> prompts, List<int[]> completions) {
        int rows = prompts.size();
        int w = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int c = Math.max(1, completions.stream().mapToInt(x -> x.length).max().orElse(0));
        int width = w + c;
        long[] ids = new long[rows * width];
        long[] attention = new long[rows * width];
        long[] positions = new long[rows * width];
        long[] completionIds = new long[rows * c];
        float[] completionMask = new float[rows * c];
        for (int r = 0; r < rows; r++) {
            int[] p = prompts.get(r);
            int[] x = completions.get(r);
            int pad = w - p.length;
            for (int i = 0; i < p.length; i++) {
                ids[r * width + pad + i] = p[i];
                attention[r * width + pad + i] = 1;
                positions[r * width + pad + i] = i;
            }
            for (int i = 0; i < c; i++) {
                boolean real = i < x.length;
                ids[r * width + w + i] = real ? x[i] : 0;
                attention[r * width + w + i] = real ? 1 : 0;
                positions[r * width + w + i] = p.length + Math.min(i, Math.max(0, x.length - 1));
                completionIds[r * c + i] = real ? x[i] : 0;
                completionMask[r * c + i] = real ? 1f : 0f;
            }
        }
        return new SequenceBatch(ids, attention, positions, completionIds, completionMask, rows, w, c);
    }

    public int width() {
        return promptWidth + completionWidth;
    }

    public NDArray idsArray(NDManager m) {
        return m.create(ids, new Shape(rows, width()));
    }

    public NDArray attentionArray(NDManager m) {
        return m.create(attention, new Shape(rows, width()));
    }

    public NDArray positionsArray(NDManager m) {
        return m.create(positions, new Shape(rows, width()));
    }

    public NDArray completionIdsArray(NDManager m) {
        return m.create(completionIds, new Shape(rows, completionWidth));
    }
}
