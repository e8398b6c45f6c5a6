package io.zero4j.rewards;

/**
 * The R1-Zero response format {@code <think> ... </think> <answer> ... </answer>}, with
 * configurable tag names.
 *
 * <ul>
 *   <li>{@code STRICT}: 1 when each tag appears exactly once, in order, with only whitespace outside
 *       the two blocks and a non-blank answer; else 0.
 *   <li>{@code LENIENT}: 1 when each tag appears exactly once, in order, and the answer is non-blank;
 *       text around the blocks is allowed.
 *   <li>{@code PARTIAL}: 0.25 for each of the four tags that appears exactly once.
 * </ul>
 *
 * When the prompt already ends with the opening think tag ({@code thinkPrefilled}), the completion
 * is judged as if it began with it. Only {@code indexOf} scans: linear in the input, no regex.
 */
public final class FormatReward implements RewardFunction {
    /** How strictly the format is judged ({@code format_mode}). */
    public enum Mode { STRICT, LENIENT, PARTIAL }

    private final Mode mode;
    private final String thinkOpen;
    private final String thinkClose;
    private final String answerOpen;
    private final String answerClose;
    private final boolean thinkPrefilled;

    public FormatReward(Mode mode, String thinkTag, String answerTag, boolean thinkPrefilled) {
        this.mode = mode;
        this.thinkOpen = "<" + thinkTag + ">";
        this.thinkClose = "</" + thinkTag + ">";
        this.answerOpen = "<" + answerTag + ">";
        this.answerClose = "</" + answerTag + ">";
        this.thinkPrefilled = thinkPrefilled;
    }

    public static FormatReward strict() {
        return new FormatReward(Mode.STRICT, "think", "answer", false);
    }

    @Override
    public String name() {
        return Choices.name(RewardKind.FORMAT);
    }

    @Override
    public Score score(Sample sample, Budget budget) {
        String text = thinkPrefilled ? thinkOpen + sample.completion() : sample.completion();
        String[] tags = {thinkOpen, thinkClose, answerOpen, answerClose};
        int[] at = new int[4];
        int once = 0;
        for (int i = 0; i < 4; i++) {
            at[i] = text.indexOf(tags[i]);
            boolean single = at[i] >= 0 && text.indexOf(tags[i], at[i] + 1) < 0;
            once += single ? 1 : 0;
            if (!single) {
                at[i] = -1;
            }
        }
        if (mode == Mode.PARTIAL) {
            return Score.judged(0.25 * once);
        }
        boolean ordered = once == 4 && at[0] < at[1] && at[1] < at[2] && at[2] < at[3]
                && !text.substring(at[2] + answerOpen.length(), at[3]).isBlank();
        if (!ordered) {
            return Score.judged(0.0);
        }
        if (mode == Mode.LENIENT) {
            return Score.judged(1.0);
        }
        boolean onlyWhitespaceOutside = text.substring(0, at[0]).isBlank()
                && text.substring(at[1] + thinkClose.length(), at[2]).isBlank()
                && text.substring(at[3] + answerClose.length()).isBlank();
        return Score.judged(onlyWhitespaceOutside ? 1.0 : 0.0);
    }
}
