package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.rewards.math.EquivalenceOptions;
import io.zero4j.rewards.math.MathEquivalence;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Answers with structure (plus-minus, inequalities against intervals, matrices), the named options
 * for what graders disagree on, an answer in words on the gold side, and the explanation a trace
 * holds. Cases marked "Math-Verify" are ones its test suite decides the same way.
 */
class StructuredAnswersTest {
    private static boolean same(String predicted, String gold) {
        return MathEquivalence.equivalent(predicted, gold, Budget.unlimited());
    }

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "\\pm 3 | 3, -3 | true",
        "-3,3 | \\pm3 | true",
        "\\{-2021, 2021\\} | \\pm 2021 | true",            // Math-Verify
        "2021 | \\pm 2021 | false",                         // Math-Verify: one of the two is not both
        "1 \\pm \\sqrt{2} | 1+\\sqrt2, 1-\\sqrt{2} | true",
        "1 \\mp \\sqrt{2} | 1 \\pm \\sqrt{2} | true",
        "1 \\pm \\sqrt{2} | 1+\\sqrt2, 1-\\sqrt{3} | false",
        "2 \\pm 1 + 1 | 4, 2 | true",                      // the sign is read in place, not around the rest
        "2 \\pm 1 + 1 | 4, 0 | false",
        "\\frac{1 \\pm \\sqrt{5}}{2} | \\frac{1+\\sqrt5}{2}, \\frac{1-\\sqrt5}{2} | true",
        "±3 | 3,-3 | true",
        "3 \\pmod 5 | 3, 5 | false",
        "x \\in \\{1, 2\\} | \\{2, 1\\} | true",
        "x > y | (y, \\infty) | false",                    // two variables stay text
        "x > 2y | (2y, \\infty) | false",
        "x > \\pi | (\\pi, \\infty) | true",
        "x > 3 | (3, \\infty) | true",                      // Math-Verify
        "x \\geq 3 | [3,\\infty) | true",
        "x \\geq 3 | (3,\\infty) | false",
        "(-\\infty, 2] | x \\le 2 | true",
        "5 \\geq x | x \\leq 5 | true",                     // Math-Verify
        "x < 5 | x > 5 | false",                            // Math-Verify
        "x \\in [-2,7] | -2 \\le x \\le 7 | true",          // Math-Verify
        "-2 < x \\le 7 | [-2, 7] | false",
        "-2 < x \\le 7 | (-2, 7] | true",
        "x > 3 | 3 | false",
        "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} | \\begin{bmatrix}1&2\\\\3&4\\end{bmatrix} | true", // Math-Verify
        "\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix} | \\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} | false", // Math-Verify
        "\\begin{pmatrix} \\frac12 \\\\ 2 \\end{pmatrix} | \\begin{pmatrix}0.5\\\\2\\end{pmatrix} | true",
        "\\begin{pmatrix} 1 & 2 \\end{pmatrix} | \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix} | false",
        "\\begin{pmatrix} 1 & 2 \\end{pmatrix} | (1, 2) | false",
        "\\begin{pmatrix}1\\\\2\\end{pmatrix}, \\begin{pmatrix}3\\\\4\\end{pmatrix} | \\begin{bmatrix}3\\\\4\\end{bmatrix}, \\begin{bmatrix}1\\\\2\\end{bmatrix} | true",
        "1.2 \\times 10^{3} | 1200 | true",
        "1.2e3 | 1200 | true",
        "10^{-3} | 0.001 | true"})
    void structures(String predicted, String gold, boolean equal) {
        assertEquals(equal, same(predicted, gold), predicted + " against " + gold);
        assertEquals(equal, same(gold, predicted), "and the other way round");
    }

    @Test
    void percentIsANamedChoice() {
        EquivalenceOptions fraction = new EquivalenceOptions(EquivalenceOptions.Percent.FRACTION, false, EquivalenceOptions.Units.IGNORE);
        EquivalenceOptions number = new EquivalenceOptions(EquivalenceOptions.Percent.NUMBER, false, EquivalenceOptions.Units.IGNORE);
        for (String predicted : new String[] {"28", "0.28", "28 percent", "\\frac{7}{25}"}) {
            boolean isFraction = !predicted.equals("28");
            boolean isNumber = predicted.startsWith("28");
            assertTrue(MathEquivalence.equivalent(predicted, "28\\%", Budget.unlimited()), predicted + ": either, the default");
            assertEquals(isFraction, MathEquivalence.equivalent(predicted, "28\\%", fraction, Budget.unlimited(), null), predicted);
            assertEquals(isNumber, MathEquivalence.equivalent(predicted, "28\\%", number, Budget.unlimited(), null), predicted);
        }
        assertFalse(same("28", "0.28"), "without a percent mark, 28 is not 0.28 (Math-Verify)");
        assertFalse(same("29\\%", "0.28"));
        assertFalse(same("2800", "28\\%"), "either reads the mark one way on both sides, never the bare side times 100");
        assertFalse(same("5\\%", "500"));
        assertFalse(same("\\{50\\%, 3\\}", "\\{0.5, 0.03\\}"), "nor a mix of the two readings");
        assertTrue(same("\\{50\\%, 3\\%\\}", "\\{0.5, 0.03\\}"));
        assertTrue(MathEquivalence.equivalent("1,000\\%", "10", fraction, Budget.unlimited(), null), "thousands before the mark");
        assertFalse(MathEquivalence.equivalent("\\frac{1}{2}\\%", "0.5", fraction, Budget.unlimited(), null),
                "a mark fraction cannot write out is not dropped");
    }

    @Test
    void decimalCommaIsOffByDefaultAndNamed() {
        EquivalenceOptions comma = new EquivalenceOptions(EquivalenceOptions.Percent.EITHER, true, EquivalenceOptions.Units.IGNORE);
        assertFalse(same("1,5", "1.5"), "off: two solutions");
        assertTrue(same("1,5", "5,1"));
        assertTrue(MathEquivalence.equivalent("1,5", "1.5", comma, Budget.unlimited(), null));
        assertTrue(MathEquivalence.equivalent("1000,99", "1000.99", comma, Budget.unlimited(), null)); // Math-Verify, plain text
        assertTrue(MathEquivalence.equivalent("0,125", "1/8", comma, Budget.unlimited(), null));
        assertTrue(MathEquivalence.equivalent("7,425,000", "7425000", comma, Budget.unlimited(), null), "thousands stay thousands");
        assertTrue(MathEquivalence.equivalent("(-2,1)", "(-2, 1)", comma, Budget.unlimited(), null), "tuples keep their commas");
        assertFalse(MathEquivalence.equivalent("1,5", "5,1", comma, Budget.unlimited(), null));
        assertTrue(MathEquivalence.equivalent("1, 2", "2, 1", comma, Budget.unlimited(), null), "a comma and a space: a list");
        EquivalenceOptions both = new EquivalenceOptions(EquivalenceOptions.Percent.FRACTION, true, EquivalenceOptions.Units.IGNORE);
        assertTrue(MathEquivalence.equivalent("12,5\\%", "0.125", both, Budget.unlimited(), null));
    }

    @Test
    void unitsMayBeRequiredToAgree() {
        EquivalenceOptions match = new EquivalenceOptions(EquivalenceOptions.Percent.EITHER, false, EquivalenceOptions.Units.MATCH);
        assertTrue(same("5 cm", "5 m"), "ignored by default, as Math-Verify strips units");
        assertFalse(MathEquivalence.equivalent("5 cm", "5 m", match, Budget.unlimited(), null));
        assertTrue(MathEquivalence.equivalent("5 cm", "5", match, Budget.unlimited(), null), "a side without a unit matches");
        assertTrue(MathEquivalence.equivalent("3 meters", "3 \\text{ meter}", match, Budget.unlimited(), null), "plural or not");
        assertTrue(MathEquivalence.equivalent("12 feet", "12 foot", match, Budget.unlimited(), null));
        assertTrue(MathEquivalence.equivalent("5 boxes", "5 box", match, Budget.unlimited(), null));
        assertTrue(MathEquivalence.equivalent("2 inches", "2 inch", match, Budget.unlimited(), null));
        assertFalse(MathEquivalence.equivalent("3 meters", "3 m", match, Budget.unlimited(), null),
                "abbreviations are other words: write units one way when they must match");
        assertFalse(MathEquivalence.equivalent("6 cm", "5 cm", match, Budget.unlimited(), null));
    }

    @Test
    void theGoldSideIsReadLikeTheAnswer() {
        AccuracyReward accuracy = AccuracyReward.withDefaultChain();
        for (String gold : new String[] {"The answer is 7.", "Answer: \\( 7 \\)", "$7$", "7 apples", "\\boxed{7}", "so #### 7"}) {
            assertEquals(1.0, accuracy.safeScore(Sample.of("<answer>7</answer>", gold), 500).value(), gold);
            assertEquals(0.0, accuracy.safeScore(Sample.of("<answer>8</answer>", gold), 500).value(), gold);
        }
        assertEquals(0.0, accuracy.safeScore(Sample.of("<answer>7</answer>", "either 5 or 7"), 500).value(),
                "a gold naming two values is compared whole");
        for (String[] qualified : new String[][] {{"2", "all real numbers except 2"}, {"10", "more than 10"},
            {"4", "x = 4 is not a solution"}}) {
            assertEquals(0.0, accuracy.safeScore(Sample.of("<answer>" + qualified[0] + "</answer>", qualified[1]), 500).value(),
                    "a gold's words qualify its number: " + qualified[1]);
        }
    }

    @Test
    void aTraceSaysWhatWasReadAndWhy() {
        Trace trace = new Trace();
        Score s = AccuracyReward.withDefaultChain().safeScore(Sample.of("<think>x</think><answer>\\dfrac{2}{6}</answer>",
                "so \\boxed{\\frac13}"), 500, trace);
        assertEquals(1.0, s.value());
        Map<String, String> e = trace.entries();
        assertEquals("answer_tag", e.get("extracted_by"));
        assertEquals("\\dfrac{2}{6}", e.get("predicted"));
        assertEquals("boxed", e.get("gold_from"));
        assertEquals("\\frac13", e.get("gold"));
        assertEquals("\\frac{2}{6}", e.get("predicted_canonical"));
        assertEquals("equal exactly: 1/3 and 1/3", e.get("why"));

        Trace wrong = new Trace();
        AccuracyReward.withDefaultChain().safeScore(Sample.of("<answer>x > 3</answer>", "[3, \\infty)"), 500, wrong);
        assertEquals("not equal as intervals: (3,\\infty) and [3,\\infty)", wrong.entries().get("why"));

        Trace none = new Trace();
        Score unparsed = AccuracyReward.withDefaultChain().safeScore(Sample.of("I think it is 5", "5"), 500, none);
        assertEquals(Score.Outcome.UNPARSEABLE, unparsed.outcome());
        assertTrue(none.entries().get("extracted_by").startsWith("nothing: none of [answer_tag, boxed, gsm8k, answer_is]"),
                none.entries().toString());
    }
}
