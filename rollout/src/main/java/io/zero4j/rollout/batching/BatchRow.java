package io.zero4j.rollout.batching;

import io.zero4j.rollout.Completion;
import io.zero4j.rollout.Detokenizer;
import io.zero4j.rollout.FinishReason;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.rollout.StopStrings;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One choice of one request in a {@link RunningBatch}: its tokens so far and where its keys lie in
 * the shared KV cache. Its prompt fills slots {@code [firstSlot, firstSlot + promptLength)}, its i-th
 * token (from 0) is written at slot {@code firstSlot + promptLength + i} when fed back.
 */
final class BatchRow {
    final ContinuousBatcher.Ticket ticket;
    final int choice;
    final int promptLength;
    final int[] tokens;
    final float[] logProbs;
    final SplittableRandom rng;
    final StopStrings stops;
    int length;
    int firstSlot;
    FinishReason finish;

    BatchRow(ContinuousBatcher.Ticket ticket, int choice, StopStrings stops) {
        SamplingParams p = ticket.request().params();
        this.ticket = ticket;
        this.choice = choice;
        this.promptLength = ticket.request().promptIds().length;
        this.tokens = new int[p.maxNewTokens()];
        this.logProbs = new float[p.maxNewTokens()];
        this.rng = new SplittableRandom(RolloutEngine.mix(p.seed(), 0, choice));
        this.stops = stops;
    }

    /** Finished, or its request cancelled or failed: the row waits only for compaction. */
    boolean retired() {
        return finish != null || ticket.isOver();
    }

    SamplingParams params() {
        return ticket.request().params();
    }

    /** The RoPE position of the token fed back next (the last one sampled). */
    long nextPosition() {
        return promptLength + length - 1L;
    }

    /** Adds a sampled token and decides whether the row ends with it. */
    void append(ScoredToken token, Set<Integer> eosIds) {
        tokens[length] = token.id();
        logProbs[length] = token.logProb();
        length++;
        if (eosIds.contains(token.id()) || (!stops.isEmpty() && stops.endsAStop(tokens, length))) {
            finish = FinishReason.STOP;
        } else if (length == tokens.length) {
            finish = FinishReason.LENGTH;
        }
    }

    /** The finished completion, as {@code RolloutEngine} writes one. */
    Completion completion(Detokenizer detokenizer, Set<Integer> eosIds) {
        return Completion.of(0, choice, Arrays.copyOf(tokens, length), Arrays.copyOf(logProbs, length), finish,
                detokenizer, eosIds, stops);
    }
}
