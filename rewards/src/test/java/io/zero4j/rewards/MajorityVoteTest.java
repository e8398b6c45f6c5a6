package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** maj@k votes by equivalence class of answers, not by their text. */
class MajorityVoteTest {
    private static int math(String... completions) {
        return MajorityVote.winner(java.util.Arrays.stream(completions).map(c -> Sample.of(c, null)).toList(),
                new RewardSet.Verifier(AccuracyReward.withDefaultChain()), 1000);
    }

    @Test
    void equivalentMathAnswersFormOneClass() {
        // 1/2, 0.5 and \frac{1}{2} are one answer: three votes against two for 3.
        assertEquals(1, math("<answer>3</answer>", "<answer>1/2</answer>", "<answer>3</answer>", "<answer>0.5</answer>",
                "<answer>\\frac{1}{2}</answer>"));
        // By text, "3" would have won with two votes against one each.
        assertEquals(0, math("<answer>1,000</answer>", "<answer>5</answer>", "x <answer> 1000 </answer>",
                "<answer>\\boxed{1000}</answer>", "no answer at all"));
        assertEquals(-1, math("nothing", "<answer></answer>"), "no answer, no vote");
        assertEquals(0, math("<answer>7</answer>"));
        assertEquals(0, math("<answer>2</answer>", "<answer>4</answer>"), "a tie goes to the class seen first");
        assertEquals(1, math("<answer>5 or 7</answer>", "<answer>The total is 7,425,000</answer>", "<answer>7425000</answer>"),
                "an answer in words votes with its one value; a hedge votes alone");
    }

    @Test
    void theVoteReadsAnswersAsTheRunsAccuracyDoes() {
        RewardSet set = RewardSet.parse(List.of("accuracy"), java.util.Map.of("extractors", "last_number", "percent",
                "fraction"), 1000);
        RewardSet.Verifier verifier = set.verifier();
        List<Sample> samples = java.util.stream.Stream.of("so 28", "it is 0.28", "I get 28%", "maybe 0.28")
                .map(c -> Sample.of(c, "28\\%")).toList();
        assertEquals(1, MajorityVote.winner(samples, verifier, 1000), "0.28 and 28% are one class of three under percent=fraction");
        assertEquals(1.0, verifier.correctness().safeScore(samples.get(1), 1000).value(), "pass@k uses the run's extractors");
    }

    @Test
    void countdownVotesByTheValueOfValidEquations() {
        List<Long> numbers = List.of(3L, 5L, 7L);
        List<Sample> samples = List.of(
                Sample.countdown("<answer>3*5+7</answer>", numbers, 22),   // 22, valid
                Sample.countdown("<answer>3+5*7</answer>", numbers, 22),   // 38, valid
                Sample.countdown("<answer>7+5*3</answer>", numbers, 22),   // 22, valid, another text
                Sample.countdown("<answer>3+5+7</answer>", numbers, 22),   // 15, valid
                Sample.countdown("<answer>38</answer>", numbers, 22),      // uses no given number: no vote
                Sample.countdown("<answer>38</answer>", numbers, 22));
        // By equation text every valid answer is its own class; by value, 22 has two votes.
        assertEquals(0, MajorityVote.winner(samples, new RewardSet.Verifier(new CountdownReward(1.0, 0.0)), 1000));
    }
}
