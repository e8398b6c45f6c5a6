package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zero4j.rewards.math.EquivalenceOptions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ways models write a right answer that issue 15 lists, each scored against its gold answer (1)
 * and with a wrong value in the same form (0): inside {@code <answer>} tags with the default chain,
 * and bare with a chain that ends in {@code latex_math, last_number}.
 */
class AnswerFormsTest {
    private final AccuracyReward tagged = AccuracyReward.withDefaultChain();
    private final AccuracyReward bare = new AccuracyReward(List.of(AnswerExtractor.ANSWER_TAG, AnswerExtractor.BOXED,
            AnswerExtractor.ANSWER_IS, AnswerExtractor.LATEX_MATH, AnswerExtractor.LAST_NUMBER), EquivalenceOptions.DEFAULT, false);

    static Stream<Arguments> rightAndWrong() {
        return Stream.of(
                // completion, gold, the same form with a wrong value
                Arguments.of("-5", "-5", "-6"),
                Arguments.of("The total is 7,425,000", "7425000", "The total is 7,425,001"),
                Arguments.of("1 000", "1000", "1 001"),
                Arguments.of("$1,000.99", "1000.99", "$1,000.98"),
                Arguments.of("1,000.99€", "1000.99", "1,000.90€"),
                Arguments.of(".4", "0.4", ".5"),
                Arguments.of("1000.0", "1000", "1000.1"),
                Arguments.of("Answer \\( 9 \\)", "9", "Answer \\( 8 \\)"),
                Arguments.of("Answer \\[ 9 \\]", "9", "Answer \\[ 8 \\]"),
                Arguments.of("Answer $$ 9 $$", "9", "Answer $$ 8 $$"),
                Arguments.of("\\frac13", "1/3", "\\frac14"),
                Arguments.of("\\dfrac{1}{3}", "1/3", "\\dfrac{1}{4}"),
                Arguments.of("\\tfrac{1}{3}", "1/3", "\\tfrac{2}{3}"),
                Arguments.of("\\cfrac{1}{3}", "1/3", "\\cfrac{1}{5}"),
                Arguments.of("\\left( \\frac{1}{3} \\right)", "1/3", "\\left( \\frac{1}{2} \\right)"),
                Arguments.of("\\frac{1}{3} \\text{meters}", "1/3", "\\frac{2}{3} \\text{meters}"),
                Arguments.of("k = \\frac{1}{3}", "1/3", "k = \\frac{1}{6}"),
                Arguments.of("\\sqrt3", "\\sqrt{3}", "\\sqrt2"),
                Arguments.of("28 percent", "28\\%", "27 percent"),
                Arguments.of("28 pct", "28\\%", "29 pct"),
                Arguments.of("28 %", "28\\%", "82 %"),
                Arguments.of("$28$ %", "28\\%", "$29$ %"),
                Arguments.of("so we get \\frac{10}{9}", "10/9", "so we get \\frac{9}{10}"));
    }

    @ParameterizedTest(name = "{0} against {1}")
    @MethodSource("rightAndWrong")
    void rightFormScoresOneAndWrongValueZero(String right, String gold, String wrong) {
        assertEquals(1.0, score(tagged, "<think>t</think><answer>" + right + "</answer>", gold), right + " in tags");
        assertEquals(0.0, score(tagged, "<think>t</think><answer>" + wrong + "</answer>", gold), wrong + " in tags");
        assertEquals(1.0, score(bare, right, gold), right + " bare");
        assertEquals(0.0, score(bare, wrong, gold), wrong + " bare");
    }

    @Test
    void anAnswerNamingTwoValuesEarnsNothing() {
        for (String hedge : List.of("5 or 7", "5, 7", "It is 5, not 7", "either 5 or 7", "5 and 7", "5 (check: 7)",
                "$5$ or $7$", "\\(5\\) or \\(7\\)", "7 or maybe 5")) {
            assertEquals(0.0, score(tagged, "<answer>" + hedge + "</answer>", "7"), hedge);
            assertEquals(0.0, score(tagged, "<answer>" + hedge + "</answer>", "5"), hedge);
        }
        assertEquals(0.0, score(tagged, "<answer>It costs $5 and $6</answer>", "5"));
        assertEquals(0.0, score(tagged, "<answer>It costs $5 and $6</answer>", "6"));
    }

    @Test
    void aCurrencySignDoesNotShiftTheLastMathSpan() {
        assertEquals(1.0, score(bare, "It costs $5. So $x = 3$", "3"));
        assertEquals(0.0, score(bare, "It costs $5. So $x = 3$", "5"));
    }

    @Test
    void nestedFractionIsReadWhole() {
        assertEquals(1.0, score(bare, "so x = \\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt{3}}{2}"));
        assertEquals(0.0, score(bare, "so x = \\frac{\\sqrt{3}}{2}", "2"));
    }

    private static double score(AccuracyReward reward, String completion, String gold) {
        return reward.safeScore(new Sample(completion, gold, List.of(), null, 10), 100).value();
    }

    @Test
    void anUntaggedAnswerIsReadOnlyAfterTheThinking() {
        String chain = "answer_tag, boxed, answer_is, latex_math, last_number";
        RewardFunction prefilled = RewardKind.create("accuracy", java.util.Map.of("extractors", chain, "think_prefilled", "true"));
        assertEquals(1.0, score(bare, "-5", "-5"), "no think tags, not prefilled: the whole completion");
        assertEquals(1.0, score(bare, "<think>try 3 then 4</think> so 7", "7"));
        assertEquals(0.0, score(bare, "<think>try 3 then 4</think> so 7", "4"), "a number inside the thinking is not the answer");
        assertEquals(Score.Outcome.UNPARSEABLE, bare.safeScore(Sample.of("<think>try 3 then 4, so 7", "7"), 500).outcome(),
                "cut off while thinking: no answer");
        assertEquals(Score.Outcome.UNPARSEABLE, prefilled.safeScore(Sample.of("try 3 then 4, so 7", "7"), 500).outcome(),
                "prefilled <think> never closed: no answer");
        assertEquals(1.0, prefilled.safeScore(Sample.of("try 3 then 4</think> 7", "7"), 500).value());
        assertEquals(1.0, prefilled.safeScore(Sample.of("try \\boxed{7} and stop", "7"), 500).value(),
                "tagged answers are read anywhere, as the default chain always did");
    }
}
