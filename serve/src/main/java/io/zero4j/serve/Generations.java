package io.zero4j.serve;

import io.zero4j.rollout.Completion;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.rollout.batching.ContinuousBatcher;
import io.zero4j.rollout.batching.GenerationListener;
import io.zero4j.rollout.batching.GenerationRequest;
import io.zero4j.rollout.batching.ScoredToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The batcher requests of one HTTP request (one per prompt, {@code n} choices each), their events
 * merged into one queue the request's thread reads. Choice {@code c} of prompt {@code p} is the
 * response's choice {@code p * n + c}, as OpenAI numbers them.
 */
final class Generations {
    /** What the batcher reported, in order. */
    sealed interface Event {
    }

    record PromptScored(int prompt, List<ScoredToken> tokens) implements Event {
    }

    record Sampled(int choice, ScoredToken token) implements Event {
    }

    record Finished(int choice, Completion completion) implements Event {
    }

    record Failed(RuntimeException cause) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<ContinuousBatcher.Ticket> tickets = new ArrayList<>();
    private final int choices;
    private int finished;

    private Generations(int choices) {
        this.choices = choices;
    }

    /** Submits every prompt; a refusal cancels those already queued and becomes a 4xx. */
    static Generations start(ContinuousBatcher batcher, List<int[]> prompts, int n, SamplingParams params, int topLogProbs,
                             boolean scorePrompt) {
        Generations g = new Generations(prompts.size() * n);
        try {
            for (int p = 0; p < prompts.size(); p++) {
                g.tickets.add(batcher.submit(new GenerationRequest(prompts.get(p), n, params, topLogProbs, scorePrompt,
                        g.listener(p, n))));
            }
        } catch (ContinuousBatcher.QueueFullException e) {
            g.cancel();
            throw ApiError.busy(e.getMessage());
        } catch (IllegalArgumentException e) {
            g.cancel();
            throw ApiError.invalid("max_tokens", e.getMessage());
        }
        return g;
    }

    private GenerationListener listener(int prompt, int n) {
        return new GenerationListener() {
            @Override
            public void promptScored(List<ScoredToken> tokens) {
                events.add(new PromptScored(prompt, tokens));
            }

            @Override
            public void sampled(int choice, ScoredToken token) {
                events.add(new Sampled(prompt * n + choice, token));
            }

            @Override
            public void finished(int choice, Completion completion) {
                events.add(new Finished(prompt * n + choice, completion));
            }

            @Override
            public void failed(RuntimeException cause) {
                events.add(new Failed(cause));
            }
        };
    }

    int choices() {
        return choices;
    }

    boolean done() {
        return finished == choices;
    }

    /** The next event, or null after {@code millis} without one; a failure ends the whole request. */
    Event next(long millis) throws InterruptedException {
        Event e = events.poll(millis, TimeUnit.MILLISECONDS);
        if (e instanceof Finished) {
            finished++;
        } else if (e instanceof Failed f) {
            cancel();
            throw ApiError.internal("generation failed: " + f.cause().getMessage());
        }
        return e;
    }

    /** The client went away (or one prompt failed): every row of this request leaves the batch. */
    void cancel() {
        tickets.forEach(ContinuousBatcher.Ticket::cancel);
    }
}
