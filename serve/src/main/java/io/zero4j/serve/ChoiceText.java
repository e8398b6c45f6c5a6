package io.zero4j.serve;

import io.zero4j.rollout.Completion;
import io.zero4j.rollout.FinishReason;
import io.zero4j.rollout.batching.ScoredToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One choice's text as it is streamed: after each token the text decoded so far, less what may
 * still change, is sent. Held back are a trailing replacement character (a character whose bytes
 * are split across tokens) and the last {@code longest stop - 1} characters (they may begin a stop
 * string, which is never shown); what the final text adds beyond what was sent comes at the end.
 * Also keeps the sampled tokens for the logprobs lists.
 */
final class ChoiceText {
    private final ServedModel served;
    private final SamplingRequest request;
    private final int holdBack;
    private final List<Integer> textIds = new ArrayList<>();
    final List<ScoredToken> tokens = new ArrayList<>();
    private int sent;
    Completion completion;

    ChoiceText(ServedModel served, SamplingRequest request) {
        this.served = served;
        this.request = request;
        this.holdBack = Math.max(0, request.stop().stream().mapToInt(String::length).max().orElse(0) - 1);
    }

    /** Records a sampled token; the text that can be sent now ("" when none). */
    String add(ScoredToken token) {
        tokens.add(token);
        Set<Integer> eos = served.policy.eosIds();
        if (eos.contains(token.id())) {
            return "";
        }
        textIds.add(token.id());
        String text = served.policy.decode(textIds.stream().mapToInt(Integer::intValue).toArray());
        int safe = text.length() - holdBack;
        while (safe > 0 && text.charAt(safe - 1) == '\uFFFD') {
            safe--;
        }
        if (safe <= sent) {
            return "";
        }
        String delta = text.substring(sent, safe);
        sent = safe;
        return delta;
    }

    /** The choice ended: the rest of its final text beyond what was sent. */
    String finish(Completion c) {
        completion = c;
        String text = visibleText();
        return text.length() > sent ? text.substring(sent) : "";
    }

    /** The completion's text as OpenAI shows it: without a stop string that ended it. */
    String visibleText() {
        String stop = stopReason();
        return stop == null ? completion.text() : completion.text().substring(0, completion.text().length() - stop.length());
    }

    /** The stop string that ended the completion (vLLM's {@code stop_reason}), or null (an EOS token, the length limit). */
    String stopReason() {
        return completion.finishReason() == FinishReason.STOP ? request.endingStop(completion.text()) : null;
    }

    /** The sampled tokens the logprobs lists show: all but a final EOS. */
    List<ScoredToken> shownTokens() {
        int n = tokens.size();
        boolean endsOnEos = n > 0 && served.policy.eosIds().contains(tokens.get(n - 1).id());
        return endsOnEos ? tokens.subList(0, n - 1) : tokens;
    }
}
