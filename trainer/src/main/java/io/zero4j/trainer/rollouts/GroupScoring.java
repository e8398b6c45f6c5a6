package io.zero4j.trainer.rollouts;

import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Score;
import io.zero4j.rollout.Completion;
import io.zero4j.rollout.RolloutBatch;
import io.zero4j.rollout.RolloutEngine;
import io.zero4j.rollout.SamplingParams;
import io.zero4j.trainer.loop.ScoredGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples and scores consecutive groups with one engine, wherever it runs (the learner's process or
 * an executor): one batched generation over the tasks' prompts, then each completion judged by the
 * reward set (a function that throws or runs out of time scores 0 and is counted).
 */
public final class GroupScoring {
    private GroupScoring() {
    }

    /** The tasks' groups, in task order; the tasks must hold consecutive indices. */
    public static RolloutBackend.Sampled sampleAndScore(RolloutEngine engine, RewardSet rewards, List<GroupTask> tasks,
                                                        int generations, SamplingParams params, int version) {
        if (tasks.isEmpty()) {
            return new RolloutBackend.Sampled(List.of(), 0);
        }
        int first = tasks.get(0).index();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).index() != first + i) {
                throw new IllegalArgumentException("group tasks must be consecutive: " + tasks.get(i).index() + " after " + first);
            }
            prompts.add(tasks.get(i).promptIds());
        }
        RolloutBatch batch = engine.generate(prompts, generations, params, first);
        long t0 = System.nanoTime();
        List<ScoredGroup> out = new ArrayList<>();
        for (int q = 0; q < tasks.size(); q++) {
            GroupTask task = tasks.get(q);
            double[] totals = new double[generations];
            Map<String, double[]> columns = new LinkedHashMap<>();
            List<Completion> completions = List.copyOf(batch.completions().subList(q * generations, (q + 1) * generations));
            int errors = 0;
            int timeouts = 0;
            for (int j = 0; j < generations; j++) {
                Completion c = completions.get(j);
                RewardSet.Judgement judged = rewards.judge(task.problem().sample(c.text(), c.length()));
                totals[j] = judged.total();
                int at = j;
                judged.scores().forEach((name, v) -> columns.computeIfAbsent(name, k -> new double[generations])[at] = v);
                errors += (int) judged.outcomes().values().stream().filter(o -> o == Score.Outcome.ERROR).count();
                timeouts += (int) judged.outcomes().values().stream().filter(o -> o == Score.Outcome.TIMEOUT).count();
            }
            out.add(new ScoredGroup(task.index(), task.problem(), task.promptIds(), completions, totals, columns, version,
                    errors, timeouts));
        }
        return new RolloutBackend.Sampled(out, System.nanoTime() - t0);
    }
}
