package io.zero4j.spark;

import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.trainer.config.RunConfigLoader;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/** How an executor builds the run's reward set (once per JVM and source). */
interface RewardSource extends Serializable {
    RewardSet create();

    /** The rewards of a run config, shipped as its JSON. */
    record OfConfig(String configJson) implements RewardSource {
        @Override
        public RewardSet create() {
            try {
                return RunConfigLoader.resolve((com.fasterxml.jackson.databind.node.ObjectNode) RunConfigLoader.MAPPER
                        .readTree(configJson), List.of(), "the run's config").rewardSet();
            } catch (IOException e) {
                throw new UserInputException("the run's config did not reach the executor whole: " + e.getMessage());
            }
        }
    }
}
