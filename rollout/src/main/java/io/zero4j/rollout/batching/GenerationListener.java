package io.zero4j.rollout.batching;

import io.zero4j.rollout.Completion;
import java.util.List;

/**
 * What a {@link ContinuousBatcher} reports about one request. Every call comes from the batcher's
 * one thread and must return quickly (hand the event to another thread); a request gets either
 * {@link #finished} once per choice or {@link #failed} once, never both.
 */
public interface GenerationListener {
    /** The prompt's tokens scored (only when asked): entry i is token i + 1 given tokens {@code [0, i]}. */
    default void promptScored(List<ScoredToken> promptTokens) {
    }

    /** Choice {@code choice} sampled its next token. */
    default void sampled(int choice, ScoredToken token) {
    }

    /** Choice {@code choice} ended (its {@link Completion#text()} cut after a stop string that ended it). */
    void finished(int choice, Completion completion);

    /** The request could not be served; nothing more comes for it. */
    void failed(RuntimeException cause);
}
