package io.zero4j.rewards;

import java.util.Set;

/** A rule-based reward. Implementations may throw anything; {@link #safeScore} never does. */
public interface RewardFunction {
    /** The name output columns use; a built-in's is its {@link RewardKind}'s, e.g. {@code accuracy}. */
    String name();

    /** Judges one completion, calling {@code budget.check()} in any loop the input can lengthen. */
    Score score(Sample sample, Budget budget);

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
        try {
            Score s = score(sample, Budget.ofMillis(millis));
            return Double.isFinite(s.value()) ? s : Score.unparseable(0.0);
        } catch (Budget.Exceeded e) {
            return Score.TIMEOUT;
        } catch (RuntimeException | StackOverflowError e) {
            return Score.ERROR;
        }
    }
}
