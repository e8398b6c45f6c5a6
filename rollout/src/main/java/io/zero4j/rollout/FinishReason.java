package io.zero4j.rollout;

/** Why a completion ended: an EOS token or stop rule ({@code stop}), or the token budget ({@code length}). */
public enum FinishReason {
    STOP, LENGTH;

    public String wireName() {
        return name().toLowerCase();
    }
}
