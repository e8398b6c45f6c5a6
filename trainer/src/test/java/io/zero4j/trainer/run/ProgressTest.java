package io.zero4j.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zero4j.trainer.metrics.MetricNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress line names the numbers each method's step row has. */
class ProgressTest {
    @Test
    void aSamplingStepShowsRewardAndLength() {
        assertEquals("reward 0.750  len 42",
                Progress.summary(Map.of(MetricNames.REWARD, 0.75, MetricNames.MEAN_LENGTH, 42.0, MetricNames.LOSS, 0.1)));
    }

    @Test
    void anSftStepShowsLossAndTokens() {
        assertEquals("loss 1.2346  tokens 1637",
                Progress.summary(Map.of(MetricNames.LOSS, 1.23456, MetricNames.TOKENS, 1637.0, MetricNames.EPOCH, 0.5)));
    }
}
