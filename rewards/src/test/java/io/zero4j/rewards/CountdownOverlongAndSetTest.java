package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountdownOverlongAndSetTest {
    private final CountdownReward countdown = new CountdownReward(1.0, 0.1);

    private double cd(String answer, long target, Long... numbers) {
        return countdown.safeScore(Sample.countdown("<think>t</think><answer>" + answer + "</answer>", List.of(numbers), target),
                50).value();
    }

    @Test
    void countdownScoresCorrectWrongAndUnparseable() {
        assertEquals(1.0, cd("(25 - 5) * 3", 60, 3L, 5L, 25L));
        assertEquals(1.0, cd("100 / (7 - 3) + 1 = 26", 26, 100L, 7L, 3L, 1L), "a trailing = N is ignored");
        assertEquals(1.0, cd("6 / 4 * 2", 3, 2L, 4L, 6L), "exact rationals");
        assertEquals(0.1, cd("25 - 5 * 3", 60, 3L, 5L, 25L), "well formed, wrong value");
        assertEquals(0.1, cd("(25 - 5) * 3 * 1", 60, 3L, 5L, 25L), "a number that was not given");
        assertEquals(0.1, cd("25 * 3 - 15", 60, 3L, 15L, 25L, 5L), "a given number left out");
        assertEquals(0.1, cd("(5 + 5) * 6", 60, 5L, 6L), "a number used twice");
        assertEquals(1.0, cd("-3 + 5 * 2", 7, 2L, 3L, 5L), "a leading unary minus, as TinyZero's eval takes it");
        assertEquals(1.0, cd("5 - -3", 8, 3L, 5L), "a unary minus after an operator");
        assertEquals(1.0, cd("-(3 - 5) * 4", 8, 3L, 4L, 5L), "a negated group");
        assertEquals(1.0, cd("+4 * 2", 8, 2L, 4L), "a unary plus");
        assertEquals(0.1, cd("-3 + 5 * 2", 13, 2L, 3L, 5L), "the sign counts in the value");
        assertEquals(0.0, cd("-".repeat(60) + "3", 3, 3L), "a run of signs past the nesting bound");
        assertEquals(0.0, cd("3 -", 3, 3L));
        assertEquals(0.1, cd("100 - 1 / (97 * 98)", 100, 100L, 1L, 97L, 98L), "off by 1.05e-4: TinyZero's absolute 1e-5 refuses it");
        assertEquals(0.0, cd("25 - ", 60, 25L));
        assertEquals(0.0, cd("__import__('os')", 60, 25L), "nothing is run as code");
        assertEquals(0.0, cd("2 ** 3", 8, 2L, 3L));
        assertEquals(0.0, countdown.safeScore(Sample.countdown("no tags", List.of(1L), 1), 50).value());
        assertEquals(0.1, cd("1 / 0", 1, 1L, 0L), "division by zero is wrong, not a crash");
    }

    @Test
    void overlongFollowsDapo() {
        OverlongReward r = new OverlongReward(100, 20);
        assertEquals(0.0, r.safeScore(new Sample("x", null, List.of(), null, 80), 50).value());
        assertEquals(-0.5, r.safeScore(new Sample("x", null, List.of(), null, 90), 50).value(), 1e-12);
        assertEquals(-1.0, r.safeScore(new Sample("x", null, List.of(), null, 100), 50).value(), 1e-12);
        assertEquals(-1.0, r.safeScore(new Sample("x", null, List.of(), null, 500), 50).value());
        assertEquals(-0.25, r.safeScore(Sample.of("a".repeat(85), null), 50).value(), 1e-12, "characters when tokens are unknown");
    }

    @Test
    void rewardSetWeightsAndColumns() {
        RewardSet set = RewardSet.parse(List.of("accuracy", "format=0.5"), Map.of(), 50);
        RewardSet.Judgement j = set.judge(Sample.of("<think>a</think><answer>4</answer>", "4"));
        assertEquals(1.5, j.total(), 1e-12);
        assertEquals(Map.of("accuracy", 1.0, "format", 1.0), j.scores());
        assertEquals(List.of("accuracy", "format"), set.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RewardSet.parse(List.of("acurracy"), Map.of(), 50));
        assertTrue(e.getMessage().contains("acurracy") && e.getMessage().contains("accuracy"));
        assertThrows(IllegalArgumentException.class, () -> RewardSet.parse(List.of("format=x"), Map.of(), 50));
        assertThrows(IllegalArgumentException.class, () -> RewardSet.parse(List.of("overlong"), Map.of(), 50));
        RewardFunction lenient = RewardKind.create("format", Map.of("format_mode", "lenient"));
        assertEquals(1.0, lenient.safeScore(Sample.of("ok <think>a</think> <answer>4</answer>", null), 50).value());
    }

    @Test
    void parametersAreCheckedAgainstWhatEachRewardTakes() {
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class,
                () -> RewardKind.create("accuracy", Map.of("extractor", "boxed")));
        assertTrue(own.getMessage().contains("'extractor'") && own.getMessage().contains("extractors"), own.getMessage());
        // Shared --params go to the rewards that take them; one that none takes is refused.
        RewardSet shared = RewardSet.parse(List.of("accuracy", "format"), Map.of("format_mode", "lenient"), 50);
        assertEquals(List.of("accuracy", "format"), shared.names());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> RewardSet.parse(List.of("accuracy"), Map.of("format_mode", "lenient"), 50));
        assertTrue(none.getMessage().contains("format_mode"), none.getMessage());
        // A misspelt name is reported as a name, even when its weight is malformed too.
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> RewardSet.parse(List.of("acuracy=x"), Map.of(), 50));
        assertTrue(name.getMessage().contains("unknown reward 'acuracy'"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RewardSet.parse(List.of("accuracy=NaN"), Map.of(), 50));
    }

    @Test
    void rewardsSayWhichProblemFieldsTheyRead() {
        assertEquals(java.util.Set.of(SampleField.ANSWER), RewardSet.parse(List.of("accuracy", "format"), Map.of(), 50).requires());
        assertEquals(java.util.Set.of(SampleField.NUMBERS_AND_TARGET), RewardSet.parse(List.of("countdown"), Map.of(), 50).requires());
        assertEquals(java.util.Set.of(), RewardSet.parse(List.of("format"), Map.of(), 50).requires());
    }
}
