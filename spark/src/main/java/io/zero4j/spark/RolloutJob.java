package io.zero4j.spark;

import io.zero4j.rollout.SamplingParams;
import java.io.Serializable;

/**
 * What every task of one submission needs besides its groups: the published weights to sample from
 * ({@code weightsDir}, holding policy version {@code version}), the tokenizer's folder, the settings,
 * and how to build the run's rewards on the executor.
 */
record RolloutJob(String weightsDir, int version, String tokenizerDir, int generations, SamplingParams params,
                  RewardSource rewards) implements Serializable {
}
