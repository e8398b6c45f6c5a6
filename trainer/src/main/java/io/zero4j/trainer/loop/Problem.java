package io.zero4j.trainer.loop;

import java.util.List;

/** One dataset row: the problem text, its gold answer, and countdown's numbers and target when present. */
public record Problem(String problem, String answer, List<Long> numbers, Long target) {
}
