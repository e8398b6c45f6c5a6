package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class FormatAndExtractorTest {
    private static double format(FormatReward.Mode mode, String text) {
        return new FormatReward(mode, "think", "answer", false).safeScore(Sample.of(text, null), 50).value();
    }

    @Test
    void strictFormat() {
        assertEquals(1.0, format(FormatReward.Mode.STRICT, "<think>2+2 is 4</think> <answer>4</answer>"));
        assertEquals(1.0, format(FormatReward.Mode.STRICT, "\n<think>a\nb</think>\n<answer> 4 </answer>\n"));
        assertEquals(0.0, format(FormatReward.Mode.STRICT, "<think>x</think> so <answer>4</answer>"), "text between blocks");
        assertEquals(0.0, format(FormatReward.Mode.STRICT, "<think>x</think><answer>4</answer> done"), "text after");
        assertEquals(0.0, format(FormatReward.Mode.STRICT, "<think>x</think><answer></answer>"), "empty answer");
        assertEquals(0.0, format(FormatReward.Mode.STRICT, "<answer>4</answer><think>x</think>"), "order");
        assertEquals(0.0, format(FormatReward.Mode.STRICT, "<think>x</think><answer>4</answer><answer>5</answer>"), "twice");
        assertEquals(0.0, format(FormatReward.Mode.STRICT, "<think>x<answer>4</answer></think>"), "nested");
    }

    @Test
    void lenientAndPartialFormat() {
        assertEquals(1.0, format(FormatReward.Mode.LENIENT, "Sure. <think>x</think> so <answer>4</answer> done"));
        assertEquals(0.0, format(FormatReward.Mode.LENIENT, "<think>x</think> <answer> </answer>"));
        assertEquals(0.5, format(FormatReward.Mode.PARTIAL, "<think>x</think> 4"));
        assertEquals(0.75, format(FormatReward.Mode.PARTIAL, "<think>x</think> <answer>4"));
        assertEquals(1.0, format(FormatReward.Mode.PARTIAL, "<think></think><answer>4</answer>"));
        assertEquals(0.0, format(FormatReward.Mode.PARTIAL, "no tags"));
    }

    @Test
    void prefilledThinkAndCustomTags() {
        FormatReward prefilled = new FormatReward(FormatReward.Mode.STRICT, "think", "answer", true);
        assertEquals(1.0, prefilled.safeScore(Sample.of("2+2=4</think><answer>4</answer>", null), 50).value());
        FormatReward custom = new FormatReward(FormatReward.Mode.STRICT, "reasoning", "final", false);
        assertEquals(1.0, custom.safeScore(Sample.of("<reasoning>r</reasoning><final>1</final>", null), 50).value());
    }

    @Test
    void extractors() {
        Budget b = Budget.unlimited();
        assertEquals("7", AnswerExtractor.ANSWER_TAG.extract("<answer>3</answer> then <answer> 7 </answer>", b));
        assertNull(AnswerExtractor.ANSWER_TAG.extract("<answer>  </answer>", b), "an empty answer is no answer");
        assertEquals("\\frac{1}{\\sqrt{2}}", AnswerExtractor.BOXED.extract("so \\boxed{1} no \\boxed{\\frac{1}{\\sqrt{2}}}.", b));
        assertEquals("5", AnswerExtractor.BOXED.extract("\\fbox{5}", b));
        assertEquals("5", AnswerExtractor.BOXED.extract("$\\boxed 5$", b));
        assertNull(AnswerExtractor.BOXED.extract("\\boxed{unbalanced", b));
        assertEquals("1,234", AnswerExtractor.GSM8K.extract("work\n#### 1,234\n", b));
        assertEquals("42", AnswerExtractor.ANSWER_IS.extract("So The answer is 42. Done", b));
        assertEquals("3.5", AnswerExtractor.ANSWER_IS.extract("the answer is: 3.5", b));
        assertEquals("-1,500.25", AnswerExtractor.LAST_NUMBER.extract("he paid -1,500.25 dollars.", b));
        assertEquals("3/4", AnswerExtractor.LAST_NUMBER.extract("x is 3/4", b));
        assertNull(AnswerExtractor.LAST_NUMBER.extract("no digits", b));
        assertEquals("7 425 000", AnswerExtractor.LAST_NUMBER.extract("about 7 425 000 people", b), "space thousands");
        assertEquals("12", AnswerExtractor.LAST_NUMBER.extract("pages 1 2 and 12", b), "a lone digit is no thousands group");
        assertEquals(".4", AnswerExtractor.LAST_NUMBER.extract("it is .4", b));
        assertEquals("\\dfrac{10}{9}", AnswerExtractor.LAST_NUMBER.extract("so we get \\dfrac{10}{9} here", b));
        assertEquals("\\frac13", AnswerExtractor.LAST_NUMBER.extract("\\frac13", b));
        assertEquals("-\\sqrt{3}", AnswerExtractor.LAST_NUMBER.extract("x = -\\sqrt{3}", b));
        assertEquals("28 percent", AnswerExtractor.LAST_NUMBER.extract("a rise of 28 percent.", b));
        assertEquals("28\\%", AnswerExtractor.LAST_NUMBER.extract("a rise of 28\\%", b));
        assertEquals(" 9 ", AnswerExtractor.lastMathSpan("first $1$ then \\( 9 \\)", b));
        assertEquals("9", AnswerExtractor.LATEX_MATH.extract("first \\[2\\] then $$ 9 $$ done", b));
        assertEquals("x+1", AnswerExtractor.LATEX_MATH.extract("$a$ and $x+1$", b));
        assertNull(AnswerExtractor.LATEX_MATH.extract("it costs $5 today", b), "a lone dollar opens nothing");
        assertNull(AnswerExtractor.LATEX_MATH.extract("\\$5 and \\$6", b), "escaped dollars are not delimiters");
        assertEquals("5", AccuracyReward.extractedAnswer(List.of(AnswerExtractor.ANSWER_TAG, AnswerExtractor.LAST_NUMBER), false,
                "the sum 2+3 = 5", b, null));
    }

    @Test
    void accuracyRefusesCheapTricks() {
        AccuracyReward acc = AccuracyReward.withDefaultChain();
        assertEquals(0.0, acc.safeScore(Sample.of("<think>x</think><answer></answer>", "4"), 50).value());
        assertEquals(Score.Outcome.UNPARSEABLE, acc.safeScore(Sample.of("<answer></answer>", "4"), 50).outcome());
        assertEquals(0.0, acc.safeScore(Sample.of("<answer>3 or 4 or 5</answer>", "4"), 50).value());
        assertEquals(1.0, acc.safeScore(Sample.of("<answer>\\boxed{4}</answer>", "4"), 50).value());
        assertEquals(1.0, acc.safeScore(Sample.of("<answer>$4.00</answer>", "Janet earns 2+2\n#### 4"), 50).value());
    }
}
