package io.zero4j.rewards;

import java.util.List;

/**
 * What a reward judges: the model's completion and the problem's reference data.
 *
 * @param completion the generated text (after the prompt)
 * @param answer     the gold answer, or null
 * @param numbers    countdown's numbers, or an empty list
 * @param target     countdown's target, or null
 * @param completionTokens the completion's length in tokens, or -1 when unknown
 */
public record Sample(String completion, String answer, List<Long> numbers, Long target, int completionTokens) {
    public Sample {
        completion = completion == null ? "" : completion;
        numbers = numbers == null ? List.of() : List.copyOf(numbers);
    }

    public static Sample of(String completion, String answer) {
        return new Sample(completion, answer, List.of(), null, -1);
    }

    public static Sample countdown(String completion, List<Long> numbers, long target) {
        return new Sample(completion, null, numbers, target, -1);
    }
}
