package io.zero4j.rewards;

/**
 * What a completion wrote inside its think block, for the "does it reason before answering"
 * metric: the text before the first {@code </think>}, without a leading {@code <think>} (present
 * when the prompt did not prefill it). One {@code indexOf} scan.
 */
public final class Thinking {
    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private Thinking() {
    }

    /** The think text, or null when the block is never closed. */
    public static String of(String completion) {
        int close = completion.indexOf(CLOSE);
        if (close < 0) {
            return null;
        }
        String inside = completion.substring(0, close).stripLeading();
        return inside.startsWith(OPEN) ? inside.substring(OPEN.length()) : inside;
    }

    /** Whether the completion closed a think block with something in it. */
    public static boolean reasons(String completion) {
        String inside = of(completion);
        return inside != null && !inside.isBlank();
    }

    /**
     * The part of a completion where an answer may stand outside any tag: after the last
     * {@code </think>}; the whole completion when it has no think tags and the prompt did not prefill
     * one; null while the completion is still thinking (a {@code <think>}, or a prefilled one, never closed).
     */
    public static String afterThinking(String completion, boolean prefilled) {
        int close = completion.lastIndexOf(CLOSE);
        if (close >= 0) {
            return completion.substring(close + CLOSE.length());
        }
        return prefilled || completion.contains(OPEN) ? null : completion;
    }
}
