package io.zero4j.rewards;

/** The problem fields of a {@link Sample} a reward may need, besides the completion. */
public enum SampleField {
    /** The gold answer ({@code answer} in a dataset row, or the configured answer field). */
    ANSWER,
    /** Countdown's numbers and target ({@code numbers}, {@code target}). */
    NUMBERS_AND_TARGET
}
