package io.zero4j.rewards;

/**
 * A time bound that reward code checks cooperatively in every loop that input can lengthen. Java
 * cannot stop a thread from outside, so the parsers and evaluators here call {@link #check()}; past
 * the deadline it throws {@link Exceeded}, which {@link RewardFunction#safeScore} turns into a score
 * of 0 and a counted timeout.
 */
public final class Budget {
    private final long deadlineNanos;
    private int calls;

    private Budget(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    public static Budget ofMillis(long millis) {
        return new Budget(System.nanoTime() + millis * 1_000_000L);
    }

    public static Budget unlimited() {
        return new Budget(Long.MAX_VALUE);
    }

    /** Cheap enough for inner loops: reads the clock every 256th call. */
    public void check() {
        if ((++calls & 0xFF) == 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new Exceeded();
        }
    }

    /** Thrown past the deadline; never escapes {@link RewardFunction#safeScore}. */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("reward time budget exceeded", null, false, false);
        }
    }
}
