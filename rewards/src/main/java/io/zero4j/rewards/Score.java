package io.zero4j.rewards;

/**
 * One function's judgement of one completion.
 *
 * @param value   the reward
 * @param outcome how it was reached: judged, no answer could be parsed, out of time, or the function threw
 */
public record Score(double value, Outcome outcome) {
    public enum Outcome { JUDGED, UNPARSEABLE, TIMEOUT, ERROR }

    public static Score judged(double value) {
        return new Score(value, Outcome.JUDGED);
    }

    public static Score unparseable(double value) {
        return new Score(value, Outcome.UNPARSEABLE);
    }

    public static final Score TIMEOUT = new Score(0.0, Outcome.TIMEOUT);
    public static final Score ERROR = new Score(0.0, Outcome.ERROR);
}
