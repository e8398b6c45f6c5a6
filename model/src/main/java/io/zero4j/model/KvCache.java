package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Preallocated keys and values of every layer, {@code [rows, kvHeads, capacity, headDim]} each.
 * Slot {@code s} of every row holds the token written at step {@code s}; rows are aligned (prompts
 * left-padded), so one in-place {@code set} per layer writes a whole decoding step. A prompt is
 * prefilled once and {@link #fork forked} into G rows; finished rows are dropped with
 * {@link #keepRows}.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int capacity;
    private int rows;

    private KvCache(NDManager manager, NDArray[] keys, NDArray[] values, int rows, int capacity) {
        // The cache owns its arrays until close(); an enclosing NDScope must not free them.
        NDScope.unregister(keys);
        NDScope.unregister(values);
        this.manager = manager;
        this.keys = keys;
        this.values = values;
        this.rows = rows;
        this.capacity = capacity;
    }

    public static KvCache allocate(ModelConfig c, int rows, int capacity, NDManager parent, DataType dtype) {
        NDManager m = parent.newSubManager();
        NDArray[] k = new NDArray[c.numLayers()];
        NDArray[] v = new NDArray[c.numLayers()];
        Shape shape = new Shape(rows, c.numKvHeads(), capacity, c.headDim());
        for (int l = 0; l < k.length; l++) {
            k[l] = m.zeros(shape, dtype);
            v[l] = m.zeros(shape, dtype);
        }
        return new KvCache(m, k, v, rows, capacity);
    }

    public int rows() {
        return rows;
    }

    public int capacity() {
        return capacity;
    }

    /** Writes {@code k, v} ({@code [rows, kvHeads, T, headDim]}) at slots {@code [start, start+T)} of a layer. */
    void write(int layer, int start, NDArray k, NDArray v) {
        long t = k.getShape().get(2);
        if (start + t > capacity) {
            throw new IllegalStateException("KV cache full: writing slots " + start + ".." + (start + t) + " of " + capacity);
        }
        NDIndex slots = new NDIndex(":, :, {}:{}", start, start + t);
        keys[layer].set(slots, k);
        values[layer].set(slots, v);
    }

    /** Keys of a layer for slots {@code [0, length)}: a view, {@code [rows, kvHeads, length, headDim]}. */
    NDArray keys(int layer, int length) {
        return keys[layer].get(new NDIndex(":, :, :{}", length));
    }

    NDArray values(int layer, int length) {
        return values[layer].get(new NDIndex(":, :, :{}", length));
    }

    /**
     * A new cache with each row repeated {@code copies} times in place (row r becomes rows
     * r*copies .. r*copies+copies-1), slots {@code [0, filled)} copied, room for {@code newCapacity}.
     */
    public KvCache fork(int copies, int filled, int newCapacity, NDManager parent) {
        NDManager m = parent.newSubManager();
        NDArray[] k = new NDArray[keys.length];
        NDArray[] v = new NDArray[values.length];
        NDIndex prefix = new NDIndex(":, :, :{}", filled);
        for (int l = 0; l < keys.length; l++) {
            Shape s = keys[l].getShape();
            Shape shape = new Shape((long) rows * copies, s.get(1), newCapacity, s.get(3));
            k[l] = m.zeros(shape, keys[l].getDataType());
            v[l] = m.zeros(shape, values[l].getDataType());
            try (NDArray kr = keys[l].get(prefix).repeat(0, copies);
                 NDArray vr = values[l].get(prefix).repeat(0, copies)) {
                k[l].set(prefix, kr);
                v[l].set(prefix, vr);
            }
        }
        return new KvCache(m, k, v, rows * copies, newCapacity);
    }

    /**
     * Appends {@code copies} copies of each of {@code prefill}'s rows (continuous batching admits a
     * request): its slots {@code [0, length)} land at {@code [start, start + length)} of the new
     * rows, every other slot of theirs zero; this cache's capacity is kept.
     */
    public void appendRows(KvCache prefill, int length, int copies, int start) {
        if (start + length > capacity) {
            throw new IllegalStateException("KV cache full: appending slots " + start + ".." + (start + length) + " of " + capacity);
        }
        NDIndex source = new NDIndex(":, :, :{}", length);
        NDIndex target = new NDIndex(":, :, {}:{}", start, start + length);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = replaced(keys[l], appended(keys[l], prefill.keys[l].get(source).repeat(0, copies), target));
            values[l] = replaced(values[l], appended(values[l], prefill.values[l].get(source).repeat(0, copies), target));
        }
        rows += prefill.rows * copies;
    }

    /** {@code rows} with {@code added [k, kvHeads, length, headDim]} placed at {@code target} of k new zero rows below. */
    private NDArray appended(NDArray rows, NDArray added, NDIndex target) {
        Shape s = rows.getShape();
        try (NDArray part = manager.zeros(new Shape(added.getShape().get(0), s.get(1), s.get(2), s.get(3)), rows.getDataType())) {
            part.set(target, added);
            added.close();
            return rows.concat(part, 0);
        }
    }

    /**
     * Moves slots {@code [from, to)} of every row to {@code [at, at + to - from)} of a cache of
     * {@code newCapacity} slots, the rest zero: continuous batching shifts its rows left to reuse
     * slots no running row needs, right to admit a prompt longer than the filled part, or grows.
     */
    public void moveSlots(int from, int to, int at, int newCapacity) {
        if (at + to - from > newCapacity) {
            throw new IllegalStateException("KV cache move: " + (to - from) + " slots at " + at + " exceed " + newCapacity);
        }
        NDIndex source = new NDIndex(":, :, {}:{}", from, to);
        NDIndex target = new NDIndex(":, :, {}:{}", at, at + to - from);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = replaced(keys[l], moved(keys[l], source, target, newCapacity));
            values[l] = replaced(values[l], moved(values[l], source, target, newCapacity));
        }
        capacity = newCapacity;
    }

    private NDArray moved(NDArray slots, NDIndex source, NDIndex target, int newCapacity) {
        Shape s = slots.getShape();
        NDArray out = manager.zeros(new Shape(s.get(0), s.get(1), newCapacity, s.get(3)), slots.getDataType());
        try (NDArray kept = slots.get(source)) {
            out.set(target, kept);
        }
        return out;
    }

    /** Closes {@code old} and keeps {@code fresh} in this cache's manager, out of any enclosing scope. */
    private NDArray replaced(NDArray old, NDArray fresh) {
        fresh.attach(manager);
        NDScope.unregister(fresh);
        old.close();
        return fresh;
    }

    /** Keeps only the listed rows, in that order (compaction once rows finish). */
    public void keepRows(long[] rowIndices) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray idx = tmp.create(rowIndices);
            for (int l = 0; l < keys.length; l++) {
                NDArray k = keys[l].get(new NDIndex("{}", idx));
                NDArray v = values[l].get(new NDIndex("{}", idx));
                k.attach(manager);
                v.attach(manager);
                NDScope.unregister(k, v);
                keys[l].close();
                values[l].close();
                keys[l] = k;
                values[l] = v;
            }
        }
        rows = rowIndices.length;
    }

    @Override
    public void close() {
        manager.close();
    }
}
