package io.zero4j.rollout.batching;

import ai.djl.ndarray.NDManager;
import io.zero4j.model.Autograd;
import io.zero4j.model.CausalLM;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.StopStrings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous batching: requests arrive at any time and join the rows being decoded at the next step,
 * so concurrent requests share every forward pass; a finished or cancelled row leaves, freeing its
 * place. One thread owns the model and runs the loop; {@link #submit} only queues (a bounded queue:
 * a full one refuses at once). Each request is prefilled alone, so its prompt's pass is the one a
 * lone request would get; choice c samples from the random stream {@code RolloutEngine} gives
 * sample c of a one-prompt batch, so a seeded request draws the same tokens however busy the server is.
 */
public final class ContinuousBatcher implements AutoCloseable {
    private final CausalLM model;
    private final Detokenizer detokenizer;
    private final Set<Integer> eosIds;
    private final int maxRows;
    private final ArrayBlockingQueue<Ticket> waiting;
    private final Thread worker;
    private final AtomicLong decodeSteps = new AtomicLong();
    private final AtomicLong rowSteps = new AtomicLong();
    private final AtomicLong cancelledRows = new AtomicLong();
    private volatile int widestStep;
    private volatile int runningRows;
    private volatile boolean closed;

    /** Refused because the queue of waiting requests is full. */
    public static final class QueueFullException extends RuntimeException {
        QueueFullException(int capacity) {
            super("the server is busy: " + capacity + " requests are already waiting; retry later");
        }
    }

    /** Decoding so far: steps, rows decoded over all steps, the most rows one step decoded, rows dropped by a cancel. */
    public record Stats(long decodeSteps, long rowSteps, int widestStep, long cancelledRows) {
    }

    /**
     * @param maxRows    the most rows (choices of all running requests) one step decodes
     * @param maxWaiting the most requests that may wait for room
     */
    public ContinuousBatcher(CausalLM model, Detokenizer detokenizer, Set<Integer> eosIds, int maxRows, int maxWaiting) {
        this.model = model;
        this.detokenizer = detokenizer;
        this.eosIds = Set.copyOf(eosIds);
        this.maxRows = maxRows;
        this.waiting = new ArrayBlockingQueue<>(maxWaiting);
        this.worker = new Thread(this::serve, "zero4j-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    public int maxRows() {
        return maxRows;
    }

    /** The model's context: a prompt and its {@code maxNewTokens} must fit in it. */
    public int context() {
        return model.config().maxPositionEmbeddings();
    }

    /** The rows being decoded now (cancelled or finished ones leave at the next step). */
    public int runningRows() {
        return runningRows;
    }

    public Stats stats() {
        return new Stats(decodeSteps.get(), rowSteps.get(), widestStep, cancelledRows.get());
    }

    /**
     * Queues a request; its listener hears from the batcher's thread.
     *
     * @throws IllegalArgumentException when it can never be served (too many choices, past the context)
     * @throws QueueFullException       when too many requests are waiting
     */
    public Ticket submit(GenerationRequest request) {
        if (closed) {
            throw new IllegalStateException("the batcher is closed");
        }
        if (request.choices() > maxRows) {
            throw new IllegalArgumentException("n = " + request.choices() + " exceeds the " + maxRows + " rows a step decodes");
        }
        int total = request.promptIds().length + request.params().maxNewTokens();
        if (total > context()) {
            throw new IllegalArgumentException("the prompt (" + request.promptIds().length + " tokens) and max_tokens ("
                    + request.params().maxNewTokens() + ") exceed the model's context of " + context() + " tokens");
        }
        Ticket ticket = new Ticket(request);
        if (!waiting.offer(ticket)) {
            throw new QueueFullException(waiting.size() + waiting.remainingCapacity());
        }
        return ticket;
    }

    private void serve() {
        Autograd.disableOnThisThread();
        try (NDManager m = model.manager().newSubManager();
             RunningBatch batch = new RunningBatch(model, m, detokenizer, eosIds, cancelledRows::addAndGet)) {
            while (!closed) {
                try {
                    round(batch);
                } catch (InterruptedException e) {
                    break;
                } catch (RuntimeException e) { // a bug or a device error: fail what runs, keep serving
                    batch.tickets().forEach(t -> t.fail(e));
                    batch.clear();
                }
            }
        }
        IllegalStateException closing = new IllegalStateException("the server is shutting down");
        for (Ticket t = waiting.poll(); t != null; t = waiting.poll()) {
            t.fail(closing);
        }
    }

    /** Admits what fits, then decodes one step. */
    private void round(RunningBatch batch) throws InterruptedException {
        if (batch.size() == batch.retired()) {
            batch.clear();
            runningRows = 0;
            Ticket first = waiting.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                return;
            }
            admit(batch, first);
        }
        for (Ticket next = waiting.peek(); next != null; next = waiting.peek()) {
            if (!next.isOver() && batch.size() + next.request().choices() > maxRows) {
                if (batch.retired() == 0) {
                    break;
                }
                batch.compact();
                continue;
            }
            admit(batch, waiting.poll());
        }
        if (batch.retired() * 4 >= batch.size()) {
            batch.compact();
        }
        runningRows = batch.size() - batch.retired();
        if (batch.size() > batch.retired()) {
            int rows = batch.size();
            batch.step();
            decodeSteps.incrementAndGet();
            rowSteps.addAndGet(rows);
            widestStep = Math.max(widestStep, rows);
        }
    }

    private void admit(RunningBatch batch, Ticket ticket) {
        if (ticket.isOver()) {
            return;
        }
        GenerationRequest r = ticket.request();
        StopStrings stops = new StopStrings(r.params().stopStrings(), detokenizer);
        List<BatchRow> rows = new ArrayList<>(r.choices());
        for (int c = 0; c < r.choices(); c++) {
            rows.add(new BatchRow(ticket, c, stops));
        }
        try {
            batch.admit(ticket, rows);
        } catch (RuntimeException e) { // the caller resets the batch; this request is not in it yet
            ticket.fail(e);
            throw e;
        }
    }

    /** Stops the loop; requests still running or waiting are failed. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A submitted request: cancel it to free its rows (a client went away). */
    public static final class Ticket {
        private final GenerationRequest request;
        private volatile boolean cancelled;
        private boolean failed;
        private int finishedChoices;

        Ticket(GenerationRequest request) {
            this.request = request;
        }

        public GenerationRequest request() {
            return request;
        }

        /** Its rows leave the batch at the next step; nothing more is reported. */
        public void cancel() {
            cancelled = true;
        }

        boolean isCancelled() {
            return cancelled;
        }

        boolean isOver() {
            return cancelled || failed || finishedChoices == request.choices();
        }

        void fail(RuntimeException cause) {
            if (!isOver()) {
                failed = true;
                try {
                    request.listener().failed(cause);
                } catch (RuntimeException ignored) { // a listener's failure must not stop the batcher
                    cancelled = true;
                }
            }
        }

        /** Reports a row's new token, and its completion when that token ended it. */
        void sampled(BatchRow row, ScoredToken token, Detokenizer detokenizer, Set<Integer> eosIds) {
            if (isOver()) {
                return;
            }
            try {
                request.listener().sampled(row.choice, token);
                if (row.finish != null) {
                    finishedChoices++;
                    request.listener().finished(row.choice, row.completion(detokenizer, eosIds));
                }
            } catch (RuntimeException listenerFailed) {
                cancelled = true;
            }
        }

        static Set<Ticket> distinct(List<BatchRow> rows) {
            Set<Ticket> out = new LinkedHashSet<>();
            rows.forEach(r -> out.add(r.ticket));
            return out;
        }
    }
}
