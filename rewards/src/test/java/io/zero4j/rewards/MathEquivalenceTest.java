package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.rewards.math.MathEquivalence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per equivalence rule, and the non-equivalences that must hold. Columns are split on '|'. */
class MathEquivalenceTest {

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            42                      | 42
            42                      | 42.0
            -7                      | −7
            1,234,567               | 1234567
            1{,}000                 | 1000
            +5                      | 5
            0.5                     | 1/2
            \\frac{1}{2}            | 0.5
            \\dfrac{3}{4}           | \\tfrac{3}{4}
            \\frac12                | 1/2
            3\\frac{1}{2}           | 7/2
            3\\frac{1}{2}           | 3.5
            50\\%                   | 0.5
            50\\%                   | 50
            1.5e3                   | 1500
            1.5\\times10^{3}        | 1500
            2\\cdot 10^{-2}         | 0.02
            \\sqrt{8}               | 2\\sqrt{2}
            \\sqrt{16}              | 4
            \\sqrt[3]{27}           | 3
            2\\pi                   | \\pi\\cdot 2
            \\frac{\\pi}{2}         | 1.5707963268
            \\text{5 cm}            | 5
            12 dollars              | 12
            \\$12.50                | 12.5
            90^\\circ               | 90
            90°                     | 90
            \\left( 1, 2 \\right)   | (1,2)
            x = 5                   | 5
            y = 2x + 3              | 3 + 2x
            (1, 2)                  | (1,2)
            [0, 1)                  | [0,1)
            (-\\infty, 3]           | (-\\infty,3]
            \\{1, 2, 3\\}           | \\{3, 2, 1\\}
            1, 2                    | 2, 1
            (-\\infty,0)\\cup(1,\\infty) | (1,\\infty)\\cup(-\\infty,0)
            \\infty                 | \\infty
            x^2 + 2x + 1            | (x+1)^2
            \\frac{x}{2}            | 0.5x
            $\\frac{7}{3}$          | 7/3
            \\boxed{4}              | 4
            0.333333333             | 1/3
            """)
    void equivalent(String a, String b) {
        String predicted = a.contains("\\boxed") ? AnswerExtractor.BOXED.extract(a, Budget.unlimited()) : a;
        assertTrue(MathEquivalence.equivalent(predicted, b, Budget.unlimited()), a + " should equal " + b);
        assertTrue(MathEquivalence.equivalent(b, predicted, Budget.unlimited()), b + " should equal " + a + " (symmetry)");
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            1/2                     | 2
            0.5                     | 0.05
            (1,2)                   | (2,1)
            (1,2)                   | [1,2]
            [0,1)                   | [0,1]
            x=5                     | 5x
            5                       | -5
            1,2                     | 1,2,3
            \\{1,2\\}               | (1,2)
            \\sqrt{2}               | 1.41
            x+1                     | y+1
            x^2                     | 2x
            \\infty                 | -\\infty
            10^{100000}             | \\infty
            1 or 2 or 3             | 2
            12                      | 120
            3\\frac{1}{2}           | 3/2
            0.3333                  | 1/3
            """)
    void notEquivalent(String a, String b) {
        assertFalse(MathEquivalence.equivalent(a, b, Budget.unlimited()), a + " should differ from " + b);
        assertFalse(MathEquivalence.equivalent(b, a, Budget.unlimited()), b + " should differ from " + a);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''  | 5
            ' ' | 5
            """)
    void anEmptyAnswerEqualsNothing(String empty, String other) {
        assertFalse(MathEquivalence.equivalent(empty, other, Budget.unlimited()));
        assertFalse(MathEquivalence.equivalent(empty, empty, Budget.unlimited()));
    }

    @Test
    void identicalAnswersAreEqualHoweverLongOrDeep() {
        String digits = "7".repeat(100_000);
        StringBuilder nested = new StringBuilder("1");
        for (int i = 0; i < 300; i++) {
            nested.insert(0, "\\frac{").append("}{2}");
        }
        AccuracyReward accuracy = AccuracyReward.withDefaultChain();
        for (String answer : new String[] {digits, nested.toString()}) {
            assertTrue(MathEquivalence.equivalent(answer, answer, Budget.unlimited()), answer.length() + " chars");
            assertEquals(1.0, accuracy.safeScore(Sample.of("<think>x</think> <answer>" + answer + "</answer>", answer), 1000)
                    .value(), "accuracy on an identical " + answer.length() + "-char answer");
            assertEquals(1.0, accuracy.safeScore(Sample.of("<answer> " + answer + " </answer>", "\\boxed{" + answer + "}"),
                    1000).value(), "the same answer, spaced and boxed");
        }
        assertFalse(MathEquivalence.equivalent(digits, digits + "7", Budget.unlimited()), "a different long answer is not");
    }
}
