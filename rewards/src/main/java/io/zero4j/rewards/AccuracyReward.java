package io.zero4j.rewards;

import io.zero4j.rewards.math.MathEquivalence;
import java.util.List;
import java.util.Set;

/**
 * 1 when the answer extracted from the completion is mathematically equivalent to the gold answer,
 * else 0. No extractable answer (an empty {@code <answer></answer>} included) scores 0 as
 * unparseable. The gold answer is read through GSM8K's {@code ####} or a {@code \boxed{}} when it
 * has one, so a dataset's worked solution can serve as the gold field.
 */
public final class AccuracyReward implements RewardFunction {
    public static final List<AnswerExtractor> DEFAULT_CHAIN =
            List.of(AnswerExtractor.ANSWER_TAG, AnswerExtractor.BOXED, AnswerExtractor.GSM8K, AnswerExtractor.ANSWER_IS);

    private final List<AnswerExtractor> chain;

    public AccuracyReward(List<AnswerExtractor> chain) {
        this.chain = List.copyOf(chain);
    }

    public static AccuracyReward withDefaultChain() {
        return new AccuracyReward(DEFAULT_CHAIN);
    }

    @Override
    public Set<SampleField> requires() {
        return Set.of(SampleField.ANSWER);
    }

    @Override
    public String name() {
        return Choices.name(RewardKind.ACCURACY);
    }

    @Override
    public Score score(Sample sample, Budget budget) {
        String predicted = AnswerExtractor.firstOf(chain, sample.completion(), budget);
        if (predicted == null) {
            return Score.unparseable(0.0);
        }
        String boxedInside = AnswerExtractor.BOXED.extract(predicted, budget); // "<answer>\boxed{5}</answer>"
        if (boxedInside != null) {
            predicted = boxedInside;
        }
        String gold = goldAnswer(sample.answer(), budget);
        return Score.judged(gold != null && MathEquivalence.equivalent(predicted, gold, budget) ? 1.0 : 0.0);
    }

    static String goldAnswer(String gold, Budget budget) {
        if (gold == null) {
            return null;
        }
        String marked = AnswerExtractor.GSM8K.extract(gold, budget);
        if (marked != null) {
            return marked;
        }
        String boxed = AnswerExtractor.BOXED.extract(gold, budget);
        return boxed != null ? boxed : gold.strip();
    }
}
