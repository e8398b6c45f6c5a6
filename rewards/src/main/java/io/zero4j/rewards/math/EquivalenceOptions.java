package io.zero4j.rewards.math;

/**
 * The choices a grader has to make where answers are ambiguous, named so a run can change them
 * (the {@code accuracy} reward's {@code percent}, {@code decimal_comma} and {@code units} parameters).
 * The defaults agree with Math-Verify's where it has one; {@code rewards/README.md} says where not.
 *
 * @param percent      how an answer with a percent mark compares with one without
 * @param decimalComma whether a lone number like {@code 1,5} or {@code 0,125} (a comma that cannot
 *                     be a thousands separator) means 1.5; off, it is a list of two solutions
 * @param units        whether unit words and {@code \text{}} units must agree when both sides carry one
 */
public record EquivalenceOptions(Percent percent, boolean decimalComma, Units units) {
    /** {@code 28\%} against {@code 0.28} and {@code 28}. */
    public enum Percent {
        /** equals both: its value over 100, and its number (Math-Verify's tests accept both) */
        EITHER,
        /** equals its value over 100 only: {@code 28\%} is {@code 0.28}, not {@code 28} */
        FRACTION,
        /** equals its number only: the mark is a unit, {@code 28\%} is {@code 28}, not {@code 0.28} */
        NUMBER
    }

    /** Unit words after a number ({@code 5 cm}) and {@code \text{}} units ({@code 3\text{ meters}}). */
    public enum Units {
        /** dropped from both sides (Math-Verify's behaviour) */
        IGNORE,
        /** dropped, but when both sides name one they must name the same (singular or plural) */
        MATCH
    }

    public static final EquivalenceOptions DEFAULT = new EquivalenceOptions(Percent.EITHER, false, Units.IGNORE);
}
