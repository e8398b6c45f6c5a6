package io.zero4j.trainer.loop;

import io.zero4j.rollout.Completion;
import io.zero4j.trainer.data.Problem;
import io.zero4j.trainer.grpo.Advantages;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One prompt's G completions, judged: each completion's weighted total and each reward function's
 * own score, in sample order, with the policy version that sampled them and how many reward calls
 * threw or ran out of time (each of those scored 0).
 *
 * @param index the group's place in its step's batch
 */
public record ScoredGroup(int index, Problem problem, int[] promptIds, List<Completion> completions, double[] totals,
                          Map<String, double[]> columns, int policyVersion, int rewardErrors, int rewardTimeouts)
        implements Serializable {
    /** Whether every completion earned the same total: the group then teaches nothing (advantage 0). */
    public boolean rewardsAgree() {
        return Advantages.sampleStd(totals) == 0;
    }
}
