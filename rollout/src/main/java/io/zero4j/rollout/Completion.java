package io.zero4j.rollout;

import java.io.Serializable;

/**
 * One sampled completion (serializable: a remote rollout backend ships it back to the learner).
 *
 * @param promptIndex  which prompt it continues
 * @param sampleIndex  which of that prompt's samples it is
 * @param tokenIds     the completion's tokens: with the EOS token when it stopped on one, up to and
 *                     including the token that completed a stop string when it stopped on one
 * @param logProbs     per token, the natural-log probability of the chosen token under the model's
 *                     full-vocabulary distribution at {@link SamplingParams#effectiveLogProbTemperature()}
 * @param text         the decoded completion: without the EOS token, and cut right after a stop
 *                     string that ended it
 */
public record Completion(int promptIndex, int sampleIndex, int[] tokenIds, float[] logProbs, String text,
                         FinishReason finishReason) implements Serializable {
    /**
     * The completion of a finished row from its {@code tokens} and {@code logProbs} (exactly its
     * length): the text is decoded without a final EOS token and cut after a stop string that ended it.
     */
    public static Completion of(int promptIndex, int sampleIndex, int[] tokens, float[] logProbs, FinishReason finish,
                                Detokenizer detokenizer, java.util.Set<Integer> eosIds, StopStrings stops) {
        boolean endsOnEos = tokens.length > 0 && eosIds.contains(tokens[tokens.length - 1]);
        String text = detokenizer.decode(endsOnEos ? java.util.Arrays.copyOf(tokens, tokens.length - 1) : tokens);
        if (finish == FinishReason.STOP && !endsOnEos) {
            text = stops.cut(text);
        }
        return new Completion(promptIndex, sampleIndex, tokens, logProbs, text, finish);
    }

    public int length() {
        return tokenIds.length;
    }
}
