package io.zero4j.trainer.data;

import io.zero4j.rewards.SampleField;
import io.zero4j.trainer.config.RunConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A run's problems: the training rows and the held-out ones. The held-out split is the first
 * {@code eval_size} rows of the seeded shuffle (at least one row is left to train on), or the first
 * {@code eval_size} rows of {@code eval_path} when it is given.
 */
public record DatasetSplits(List<Problem> train, List<Problem> heldOut) {
    public static DatasetSplits read(RunConfig.Dataset d, Set<SampleField> required) {
        List<Problem> rows = ProblemSet.shuffled(ProblemSet.read(Path.of(d.path()), d.problemField(), d.answerField(),
                required), d.shuffleSeed());
        if (d.evalPath() == null) {
            int held = Math.min(d.evalSize(), rows.size() - 1);
            return new DatasetSplits(rows.subList(held, rows.size()), rows.subList(0, held));
        }
        List<Problem> evalRows = ProblemSet.read(Path.of(d.evalPath()), d.problemField(), d.answerField(), required);
        return new DatasetSplits(rows, evalRows.subList(0, Math.min(d.evalSize(), evalRows.size())));
    }
}
