package io.zero4j.trainer.loop;

import java.util.List;
import java.util.Map;

/**
 * What the update pushes each sampled token by: the weight of its log-probability's gradient in the
 * policy loss. GRPO's is one group-relative advantage per completion ({@link GroupAdvantages}); a
 * per-token signal (on-policy distillation's teacher log-ratio, say) fills each token its own.
 */
public interface LearningSignal {
    /** Per row (groups in order, G rows each), one value per completion token. */
    double[][] advantages(List<ScoredGroup> groups);

    /** Metrics of the last call, logged with the step's (none by default). */
    default Map<String, Double> metrics() {
        return Map.of();
    }
}
