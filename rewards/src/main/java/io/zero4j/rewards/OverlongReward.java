package io.zero4j.rewards;

/**
 * DAPO's soft overlong punishment: 0 up to {@code maxLength - cache} tokens, then falling linearly
 * to -1 at {@code maxLength}, and -1 beyond. Uses the completion's token count when the sample
 * carries one, its character count otherwise.
 */
public final class OverlongReward implements RewardFunction {
    private final int maxLength;
    private final int cache;

    public OverlongReward(int maxLength, int cache) {
        if (cache <= 0 || cache > maxLength) {
            throw new IllegalArgumentException("overlong: need 0 < cache <= max_length, got cache " + cache
                    + ", max_length " + maxLength);
        }
        this.maxLength = maxLength;
        this.cache = cache;
    }

    @Override
    public String name() {
        return Choices.name(RewardKind.OVERLONG);
    }

    @Override
    public Score score(Sample sample, Budget budget) {
        int length = sample.completionTokens() >= 0 ? sample.completionTokens() : sample.completion().length();
        int expected = maxLength - cache;
        if (length <= expected) {
            return Score.judged(0.0);
        }
        if (length <= maxLength) {
            return Score.judged((double) (expected - length) / cache);
        }
        return Score.judged(-1.0);
    }
}
