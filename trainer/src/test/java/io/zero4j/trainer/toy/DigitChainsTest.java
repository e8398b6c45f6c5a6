package io.zero4j.trainer.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.rewards.AccuracyReward;
import io.zero4j.rewards.FormatReward;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Thinking;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DigitChainsTest {
    private final DigitChains task = new DigitChains(3, 6);

    @Test
    void aWorkedExampleByHand() {
        DigitChains.Problem p = new DigitChains.Problem(7, 4, 3, 8);
        assertEquals("Start with 7. Add 3, add 8, keep the last digit. Do this 4 times", p.question());
        assertEquals("4 left: 7+3=10, 0+8=08; 3 left: 8+3=11, 1+8=09; 2 left: 9+3=12, 2+8=10; 1 left: 0+3=03, 3+8=11",
                p.reasoning());
        assertEquals("1", p.answer()); // (7 + 4 * 11) mod 10
    }

    @Test
    void theWorkedSolutionEndsOnTheAnswerAndScoresFullMarks() {
        SplittableRandom rng = new SplittableRandom(3);
        AccuracyReward accuracy = AccuracyReward.withDefaultChain();
        FormatReward format = new FormatReward(FormatReward.Mode.STRICT, "think", "answer", true);
        for (int i = 0; i < 500; i++) {
            DigitChains.Problem p = task.next(rng, i % 2 == 0);
            int expected = (p.start() + p.steps() * (p.first() + p.second())) % 10;
            assertEquals(expected, p.result());
            String r = p.reasoning();
            assertEquals(p.answer(), r.substring(r.length() - 1), "the last running digit is the answer: " + r);
            assertEquals(p.steps(), r.split("; ").length);
            for (String completion : List.of(" " + r + " </think> <answer>" + p.answer() + "</answer>",
                    "</think> <answer>" + p.answer() + "</answer>")) {
                Sample s = new Sample(completion, p.answer(), null, null, -1);
                assertEquals(1.0, accuracy.safeScore(s, 50).value(), completion);
                assertEquals(1.0, format.safeScore(s, 50).value(), completion);
            }
            Sample wrong = new Sample("</think> <answer>" + (p.result() + 1) % 10 + "</answer>", p.answer(), null, null, -1);
            assertEquals(0.0, accuracy.safeScore(wrong, 50).value());
        }
    }

    @Test
    void questionsParseBackAndJunkDoesNot() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            DigitChains.Problem p = task.next(rng, false);
            assertEquals(p, DigitChains.parse(p.question()));
        }
        assertNull(DigitChains.parse("Start with 12. Add 3, add 8, keep the last digit. Do this 4 times"));
        assertNull(DigitChains.parse("What is 2+2"));
        assertNull(DigitChains.parse(null));
        assertNull(DigitChains.parse("Start with 1".repeat(100_000)));
    }

    @Test
    void theReservedPartIsAboutOneEighthAndDrawsStayInTheirPart() {
        List<DigitChains.Problem> reserved = task.reservedProblems(0);
        int all = 4 * 10 * 9 * 9;
        double share = (double) reserved.size() / all;
        assertTrue(share > 0.10 && share < 0.15, "reserved share " + share);
        assertEquals(reserved.size(), reserved.stream().distinct().count());
        assertEquals(task.reservedProblems(0), task.reservedProblems(0), "the order is the seed's");
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            assertTrue(task.next(rng, true).reserved());
            assertFalse(task.next(rng, false).reserved());
        }
    }

    @Test
    void thinkingTellsWorkedFromDirect() {
        assertTrue(Thinking.reasons(" 3 left: 1+2=03 </think> <answer>3</answer>"));
        assertTrue(Thinking.reasons("<think>so</think><answer>3</answer>"));
        assertFalse(Thinking.reasons("</think> <answer>3</answer>"));
        assertFalse(Thinking.reasons(" <think>  </think> <answer>3</answer>"));
        assertFalse(Thinking.reasons(" 3 left: 1+2=03 and never closed"));
        assertEquals(" a ", Thinking.of("<think> a </think>"));
    }
}
