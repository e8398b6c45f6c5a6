package io.zero4j.rewards;

import io.zero4j.rewards.math.MathEquivalence;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * 1 when the answer extracted from the completion is mathematically equivalent to the gold answer,
 * else 0. No extractable answer (an empty {@code <answer></answer>} included) scores 0 as
 * unparseable. The gold answer is read through GSM8K's {@code ####} or a {@code \boxed{}} when it
 * has one, so a dataset's worked solution can serve as the gold field.
 */
public final class AccuracyReward implements RewardFunction {
    public static final List<AnswerExtractor> DEFAULT_CHAIN =
            List.of(AnswerExtractor.ANSWER_TAG, AnswerExtractor.BOXED, AnswerExtractor.GSM8K, AnswerExtractor.ANSWER_IS);

    /**
     * A word: three letters or more, not right after a backslash, a brace or a letter, so LaTeX
     * commands and the first word of a {@code \text{...}} do not count.
     */
    private static final Pattern PROSE = Pattern.compile("(?<![\\\\{A-Za-z])[A-Za-z]{3,}");

    private static final Pattern DIGIT = Pattern.compile("\\d");

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
        String predicted = extractedAnswer(chain, sample.completion(), budget);
        if (predicted == null) {
            return Score.unparseable(0.0);
        }
        String gold = goldAnswer(sample.answer(), budget);
        if (gold == null) {
            return Score.judged(0.0);
        }
        if (MathEquivalence.equivalent(predicted, gold, budget)) {
            return Score.judged(1.0);
        }
        String inner = innerAnswer(predicted, budget);
        return Score.judged(inner != null && MathEquivalence.equivalent(inner, gold, budget) ? 1.0 : 0.0);
    }

    /**
     * What an answer written in words holds ("Answer \( 9 \)", "The total is 7,425,000"): its one
     * math span when it has exactly one and no digit outside it, else its one number when it has
     * exactly one and a word of three letters or more; null otherwise. An answer that names two
     * values ("5 or 7", "It is 5, not 7", "$5$ or $7$") is left whole, so hedging earns nothing.
     */
    static String innerAnswer(String answer, Budget budget) {
        List<String> spans = AnswerExtractor.mathSpans(answer, budget);
        if (spans.size() == 1) {
            String span = spans.get(0);
            String outside = answer.replace(span, "");
            return span.strip().equals(answer.strip()) || DIGIT.matcher(outside).find() ? null : span;
        }
        if (!spans.isEmpty() || !PROSE.matcher(answer).find()) {
            return null;
        }
        List<String> numbers = AnswerExtractor.numbers(answer, budget, 2);
        return numbers.size() == 1 ? numbers.get(0) : null;
    }

    /** The first answer along the chain, with a {@code \boxed{}} inside it unwrapped ("<answer>\boxed{5}</answer>"). */
    static String extractedAnswer(List<AnswerExtractor> chain, String completion, Budget budget) {
        String answer = AnswerExtractor.firstOf(chain, completion, budget);
        if (answer == null) {
            return null;
        }
        String boxedInside = AnswerExtractor.BOXED.extract(answer, budget);
        return boxedInside != null ? boxedInside : answer;
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
