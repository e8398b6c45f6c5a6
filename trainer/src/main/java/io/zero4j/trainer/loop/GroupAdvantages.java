package io.zero4j.trainer.loop;

import io.zero4j.trainer.grpo.Advantages;
import io.zero4j.trainer.grpo.GrpoSettings.ScaleRewards;
import java.util.Arrays;
import java.util.List;

/** GRPO's learning signal: each completion's group-relative advantage ({@link Advantages}), on every one of its tokens. */
public record GroupAdvantages(ScaleRewards scale) implements LearningSignal {
    @Override
    public double[][] advantages(List<ScoredGroup> groups) {
        double[] totals = groups.stream().flatMapToDouble(g -> Arrays.stream(g.totals())).toArray();
        int size = groups.isEmpty() ? 1 : groups.get(0).totals().length;
        double[] perCompletion = Advantages.compute(totals, size, scale);
        double[][] out = new double[totals.length][];
        for (int r = 0; r < out.length; r++) {
            out[r] = new double[groups.get(r / size).completions().get(r % size).length()];
            Arrays.fill(out[r], perCompletion[r]);
        }
        return out;
    }
}
