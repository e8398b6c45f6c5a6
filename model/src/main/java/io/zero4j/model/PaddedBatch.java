package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Sequences of different lengths as one {@code [B, T]} batch: token ids, a 0/1 mask of real
 * tokens, and RoPE positions that count real tokens only (so padding never shifts a sequence).
 * Left padding aligns the last tokens (for prefill before decoding); right padding aligns the
 * first (for training and scoring).
 *
 * @param pad per row, how many padding slots precede (left) or follow (right) its tokens
 */
public record PaddedBatch(long[] ids, long[] mask, long[] positions, int rows, int width, int[] pad) {

    public static PaddedBatch leftPadded(List<int[]> sequences, int padId) {
        return build(sequences, padId, true);
    }

    public static PaddedBatch rightPadded(List<int[]> sequences, int padId) {
        return build(sequences, padId, false);
    }

    private static PaddedBatch build(List<int[]> sequences, int padId, boolean left) {
        int rows = sequences.size();
        int width = 0;
        for (int[] s : sequences) {
            width = Math.max(width, s.length);
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] positions = new long[rows * width];
        int[] pad = new int[rows];
        for (int r = 0; r < rows; r++) {
            int[] s = sequences.get(r);
            pad[r] = width - s.length;
            int offset = left ? pad[r] : 0;
            for (int i = 0; i < width; i++) {
                int j = i - offset;
                boolean real = j >= 0 && j < s.length;
                ids[r * width + i] = real ? s[j] : padId;
                mask[r * width + i] = real ? 1 : 0;
                positions[r * width + i] = Math.max(0, Math.min(j, s.length - 1));
            }
        }
        return new PaddedBatch(ids, mask, positions, rows, width, pad);
    }

    public NDArray idsArray(NDManager m) {
        return m.create(ids, new Shape(rows, width));
    }

    public NDArray maskArray(NDManager m) {
        return m.create(mask, new Shape(rows, width));
    }

    public NDArray positionsArray(NDManager m) {
        return m.create(positions, new Shape(rows, width));
    }

    /** Length of row {@code r}'s real tokens. */
    public int length(int r) {
        return width - pad[r];
    }
}
