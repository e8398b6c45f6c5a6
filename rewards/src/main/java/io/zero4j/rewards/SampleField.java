package io.zero4j.rewards;

/** The problem fields of a {@link Sample} a reward may need, besides the completion. */
public enum SampleField {
    /** The gold answer ({@code answer} in a dataset row). */
    ANSWER("answer"),
    /** Countdown's numbers and target ({@code numbers}, {@code target}). */
    NUMBERS_AND_TARGET("numbers and target");

    /** The dataset field(s), as a user names them. */
    public final String fields;

    SampleField(String fields) {
        this.fields = fields;
    }
}
