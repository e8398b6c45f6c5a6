package io.zero4j.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The training problems in the order a run draws them: epoch after epoch, each a seeded shuffle
 * ({@code shuffle_seed + epoch}); {@code cursor} counts problems drawn so far, so a checkpoint's
 * cursor puts a resumed run at the same place.
 */
public final class ProblemStream {
    private final List<Problem> problems;
    private final long shuffleSeed;
    private int cursor;

    public ProblemStream(List<Problem> problems, long shuffleSeed) {
        this.problems = List.copyOf(problems);
        this.shuffleSeed = shuffleSeed;
    }

    public List<Problem> next(int n) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int epoch = cursor / problems.size();
            List<Problem> order = ProblemSet.shuffled(problems, shuffleSeed + epoch);
            out.add(order.get(cursor % problems.size()));
            cursor++;
        }
        return out;
    }

    public int cursor() {
        return cursor;
    }

    public void seek(int cursor) {
        this.cursor = cursor;
    }
}
