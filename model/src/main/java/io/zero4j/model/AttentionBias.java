package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** The additive attention mask of {@link CausalLM}: causal, and blind to padding. */
final class AttentionBias {
    private static final float MASKED = -1e9f;

    private AttentionBias() {
    }

    /**
     * {@code [B, 1, T, S]}: 0 where query slot {@code cacheStart+i} may see key slot {@code j}
     * (j <= cacheStart+i and the key is real), a large negative number elsewhere; null when nothing is
     * masked (one new token, no padding). Rows that see nothing (padding queries) stay finite, so no
     * NaN appears.
     */
    static NDArray of(NDManager m, NDArray keyMask, int cacheStart, int t, int keyLength, DataType dtype) {
        if (t == 1 && keyMask == null) {
            return null;
        }
        NDArray querySlots = m.arange(cacheStart, cacheStart + t).reshape(t, 1);               // [T, 1]
        NDArray keySlots = m.arange(0, keyLength).reshape(1, keyLength);                         // [1, S]
        NDArray allowed = keySlots.lte(querySlots).expandDims(0);                                // [1, T, S]
        if (keyMask != null) {
            allowed = allowed.logicalAnd(keyMask.toType(DataType.BOOLEAN, false).expandDims(1)); // [B, T, S]
        }
        return allowed.toType(dtype, false).sub(1).mul(-MASKED).expandDims(1);                   // [B, 1, T, S]
    }
}
