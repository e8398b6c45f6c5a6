package io.zero4j.rewards;

import java.util.Set;

/** A rule-based reward. Implementations may throw anything; {@link #safeScore} never does. */
public interface RewardFunction {
    /** The name output columns use; a built-in's is its {@link RewardKind}'s, e.g. {@code accuracy}. */
    String name();

    /** Judges one completion, calling {@code budget.check()} in any loop the input can lengthen. */
    Score score(Sample sample, Budget budget);

    /**
     * Judges as {@link #score(Sample, Budget)} does and notes in {@code trace} (when not null) what it
     * read and why it decided; a function with nothing to explain scores without notes.
     */
    default Score score(Sample sample, Budget budget, Trace trace) {
        return score(sample, budget);
    }

    /** The problem fields this function reads (a dataset row without one cannot be judged). */
    default Set<SampleField> requires() {
        return Set.of();
    }

    /**
     * The score within {@code millis} of work: a timeout scores 0 and is reported as
     * {@link Score.Outcome#TIMEOUT}; a non-finite value scores 0 as unparseable; a function that throws
     * scores 0 as {@link Score.Outcome#ERROR}, so a run can count it. Never throws.
     */
    default Score safeScore(Sample sample, long millis) {
        return safeScore(sample, millis, null);
    }

    /** As {@link #safeScore(Sample, long)}, explaining into {@code trace} (may be null). */
    default Score safeScore(Sample sample, long millis, Trace trace) {
        try {
            Score s = score(sample, Budget.ofMillis(millis), trace);
            return Double.isFinite(s.value()) ? s : Score.unparseable(0.0);
        } catch (Budget.Exceeded e) {
            return Score.TIMEOUT;
        } catch (RuntimeException | StackOverflowError e) {
            return Score.ERROR;
        }
    }
}
