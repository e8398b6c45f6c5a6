package io.zero4j.trainer.rollouts;

import io.zero4j.trainer.data.Problem;
import java.io.Serializable;

/**
 * One group to sample: the problem (its gold answer travels with it, for the rewards) and its prompt
 * ids, at place {@code index} of the step's batch; the place picks the rows' random streams, so a
 * group sampled anywhere draws what it would in the whole batch.
 */
public record GroupTask(int index, Problem problem, int[] promptIds) implements Serializable {
}
