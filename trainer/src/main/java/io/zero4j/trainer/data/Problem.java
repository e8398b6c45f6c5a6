package io.zero4j.trainer.data;

import io.zero4j.rewards.Sample;
import java.io.Serializable;
import java.util.List;

/** One dataset row: the problem text, its gold answer, and countdown's numbers and target when present. */
public record Problem(String problem, String answer, List<Long> numbers, Long target) implements Serializable {
    /** What a reward judges: {@code completion} (of {@code tokens} tokens, -1 when unknown) against this row. */
    public Sample sample(String completion, int tokens) {
        return new Sample(completion, answer, numbers, target, tokens);
    }
}
