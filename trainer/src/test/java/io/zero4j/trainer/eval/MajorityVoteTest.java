package io.zero4j.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class MajorityVoteTest {
    @Test
    void theMostCommonNormalisedAnswerWins() {
        String voted = Evaluator.majority(List.of("<answer>5</answer>", "<answer>1,000</answer>", "x <answer> 1000 </answer>",
                "<answer>\\boxed{1000}</answer>", "no answer at all"));
        assertEquals("<answer>1,000</answer>", voted, "1,000 / 1000 / \\boxed{1000} normalise alike only where equal");
        assertNull(Evaluator.majority(List.of("nothing", "<answer></answer>")));
        assertEquals("<answer>7</answer>", Evaluator.majority(List.of("<answer>7</answer>")));
    }
}
