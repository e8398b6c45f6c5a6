package io.zero4j.rollout.batching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.zero4j.model.CausalLM;
import io.zero4j.model.KvCache;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.NonFiniteLogitsException;
import io.zero4j.rollout.Sampler;
import io.zero4j.rollout.SamplingParams;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The rows a {@link ContinuousBatcher} decodes together, over one KV cache whose slot s of every
 * row is written at the same step. Each step writes slot {@link #slot} for every row; a row admitted
 * later has its prompt placed so that it ends at that slot, with the slots before it masked out.
 * When the cache is full the slots no running row needs are dropped (a left shift), or it grows,
 * up to the model's context; a prompt longer than the filled part shifts the others right.
 */
final class RunningBatch implements AutoCloseable {
    private static final int MIN_CAPACITY = 64;
    private final CausalLM model;
    private final NDManager manager;
    private final Detokenizer detokenizer;
    private final Set<Integer> eosIds;
    private final Sampler sampler;
    private final int context;
    private final LongConsumer cancelled;
    /** Slot i of the cache holds rows.get(i). */
    private final List<BatchRow> rows = new ArrayList<>();
    private KvCache cache;
    private int slot;
    /** {@code [rows, capacity]}: 1 from a row's first slot on; rebuilt when the rows or the layout change. */
    private NDArray keyMask;

    /** @param cancelled told how many unfinished rows of cancelled requests each compaction (or clearing) drops */
    RunningBatch(CausalLM model, NDManager manager, Detokenizer detokenizer, Set<Integer> eosIds, LongConsumer cancelled) {
        this.cancelled = cancelled;
        this.model = model;
        this.manager = manager;
        this.detokenizer = detokenizer;
        this.eosIds = eosIds;
        this.sampler = new Sampler(model.config().vocabSize());
        this.context = model.config().maxPositionEmbeddings();
    }

    int size() {
        return rows.size();
    }

    /** The requests with rows in the batch. */
    Set<ContinuousBatcher.Ticket> tickets() {
        return ContinuousBatcher.Ticket.distinct(rows);
    }

    int retired() {
        return (int) rows.stream().filter(BatchRow::retired).count();
    }

    /**
     * Prefills a request's prompt and samples each choice's first token from it; the new rows join
     * the batch (a row already finished by its first token is delivered and leaves at the next compaction).
     */
    void admit(ContinuousBatcher.Ticket ticket, List<BatchRow> newRows) {
        GenerationRequest request = ticket.request();
        int[] prompt = request.promptIds();
        int length = prompt.length;
        try (NDScope ignored = new NDScope()) {
            KvCache prefill = KvCache.allocate(model.config(), 1, length, manager, model.dataType());
            try {
                long[] ids = Arrays.stream(prompt).asLongStream().toArray();
                long[] positions = new long[length];
                Arrays.setAll(positions, i -> i);
                NDArray hidden = model.forward(manager.create(ids, new Shape(1, length)), null,
                        manager.create(positions, new Shape(1, length)), prefill, 0);            // [1, L, H]
                if (request.scorePrompt()) {
                    request.listener().promptScored(PromptScores.of(model, hidden, prompt, request.topLogProbs(),
                            request.params().effectiveLogProbTemperature()));
                }
                sample(model.logits(CausalLM.lastPosition(hidden)), newRows, newRows.size());  // [1, V]
                place(prefill, length, newRows);
            } finally {
                prefill.close();
            }
        }
    }

    /** Puts the prefilled prompt into the shared cache so that it ends at {@link #slot}. */
    private void place(KvCache prefill, int length, List<BatchRow> newRows) {
        if (cache == null) {
            cache = prefill.fork(newRows.size(), length, capacityFor(length + 1), manager);
            slot = length;
        } else {
            if (length > slot) {
                int shift = length - slot;
                cache.moveSlots(0, slot, shift, Math.max(cache.capacity(), capacityFor(length + 1)));
                rows.forEach(r -> r.firstSlot += shift);
                slot = length;
            }
            cache.appendRows(prefill, length, newRows.size(), slot - length);
        }
        for (BatchRow r : newRows) {
            r.firstSlot = slot - length;
            rows.add(r);
        }
        dropMask();
    }

    /** One decoding step: every row feeds its last token at {@link #slot} and the running ones sample. */
    void step() {
        makeRoom();
        int n = rows.size();
        long[] next = new long[n];
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            BatchRow row = rows.get(i);
            next[i] = row.length == 0 ? 0 : row.tokens[row.length - 1];                 // retired rows' outputs are ignored
            positions[i] = Math.max(0, row.nextPosition());
        }
        try (NDScope ignored = new NDScope()) {
            NDArray keys = keyMask().get(new NDIndex(":, :{}", slot + 1));                // [n, slot + 1]
            NDArray hidden = model.forward(manager.create(next, new Shape(n, 1)), keys,
                    manager.create(positions, new Shape(n, 1)), cache, slot);              // [n, 1, H]
            sample(model.logits(CausalLM.lastPosition(hidden)), rows, 1);                  // [n, V]
        }
        slot++;
    }

    /**
     * Samples a token for each running row of {@code targets} from {@code logits [n, V]}; row i
     * reads logits row {@code i / rowsPerLogitsRow}. A row whose logits are not finite fails its request.
     */
    private void sample(NDArray logits, List<BatchRow> targets, int rowsPerLogitsRow) {
        int vocab = model.config().vocabSize();
        NDArray f32 = logits.toType(DataType.FLOAT32, false);                                 // [n, V]
        float[] temperatures = new float[(int) f32.getShape().get(0)];
        for (int i = 0; i < temperatures.length; i++) {
            temperatures[i] = (float) targets.get(i * rowsPerLogitsRow).params().effectiveLogProbTemperature();
        }
        NDArray scaled = f32.div(manager.create(temperatures, new Shape(temperatures.length, 1)));
        NDArray rowMax = scaled.max(new int[] {-1}, true);                                    // [n, 1]
        float[] logNormaliser = scaled.sub(rowMax).exp().sum(new int[] {-1}).log()
                .add(rowMax.squeeze(-1)).toFloatArray();                                       // [n]
        FloatBuffer values = f32.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < targets.size(); i++) {
            BatchRow row = targets.get(i);
            if (row.retired()) {
                continue;
            }
            int at = i / rowsPerLogitsRow;
            if (!Float.isFinite(logNormaliser[at])) {
                row.ticket.fail(new NonFiniteLogitsException(0, row.choice, row.length + 1));
                continue;
            }
            SamplingParams p = row.params();
            int token = sampler.sample(values, at * vocab, vocab, p, row.rng);
            ScoredToken scored = TopTokens.scored(token, values, at * vocab, vocab, row.ticket.request().topLogProbs(),
                    p.effectiveLogProbTemperature(), logNormaliser[at]);
            row.append(scored, eosIds);
            row.ticket.sampled(row, scored, detokenizer, eosIds);
        }
    }

    /** Before a step: room for slot {@link #slot}, by dropping the slots no running row reads, or by growing. */
    private void makeRoom() {
        if (slot < cache.capacity()) {
            return;
        }
        int firstNeeded = rows.stream().filter(r -> !r.retired()).mapToInt(r -> r.firstSlot).min().orElse(slot - 1);
        int capacity = cache.capacity();
        if (firstNeeded < capacity / 4 && capacity < context) {
            capacity = Math.min(context, capacity * 2);
        }
        cache.moveSlots(firstNeeded, slot, 0, capacity);
        rows.forEach(r -> r.firstSlot = Math.max(0, r.firstSlot - firstNeeded));
        slot -= firstNeeded;
        dropMask();
        if (slot >= cache.capacity()) {
            throw new IllegalStateException("no KV slot left: a running row fills the context of " + context);
        }
    }

    /** Drops retired rows from the batch and the cache. */
    void compact() {
        countCancelled();
        long[] keep = new long[rows.size()];
        int kept = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).retired()) {
                keep[kept++] = i;
            }
        }
        if (kept == 0) {
            clear();
            return;
        }
        cache.keepRows(Arrays.copyOf(keep, kept));
        rows.removeIf(BatchRow::retired);
        dropMask();
    }

    /** Empties the batch, freeing its cache (after a failure that may have left it half-written, too). */
    void clear() {
        countCancelled();
        rows.clear();
        if (cache != null) {
            cache.close();
            cache = null;
        }
        dropMask();
        slot = 0;
    }

    private void countCancelled() {
        cancelled.accept(rows.stream().filter(r -> r.finish == null && r.ticket.isCancelled()).count());
    }

    private NDArray keyMask() {
        if (keyMask == null) {
            int capacity = cache.capacity();
            long[] mask = new long[rows.size() * capacity];
            for (int i = 0; i < rows.size(); i++) {
                Arrays.fill(mask, i * capacity + rows.get(i).firstSlot, (i + 1) * capacity, 1L);
            }
            keyMask = manager.create(mask, new Shape(rows.size(), capacity));            // [n, capacity]
            NDScope.unregister(keyMask);
        }
        return keyMask;
    }

    private void dropMask() {
        if (keyMask != null) {
            keyMask.close();
            keyMask = null;
        }
    }

    private int capacityFor(int slots) {
        int c = MIN_CAPACITY;
        while (c < slots) {
            c *= 2;
        }
        return Math.min(c, context);
    }

    @Override
    public void close() {
        clear();
    }
}
