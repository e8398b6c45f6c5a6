package io.zero4j.rollout;

import java.util.List;

/**
 * Stop strings matched on decoded text, so a stop string that spans token boundaries is found. After
 * each new token, only a window of the last tokens is decoded: long enough for any stop string
 * (every token decodes to at least one character) plus one token, for a character split across two.
 */
public final class StopStrings {
    private final List<String> stops;
    private final Detokenizer detokenizer;
    private final int window;

    public StopStrings(List<String> stops, Detokenizer detokenizer) {
        this.stops = stops;
        this.detokenizer = detokenizer;
        this.window = stops.stream().mapToInt(String::length).max().orElse(0) + 2;
    }

    public boolean isEmpty() {
        return stops.isEmpty();
    }

    /** Whether the text of {@code tokens[0, length)} contains a stop string that the last token completed. */
    public boolean endsAStop(int[] tokens, int length) {
        int from = Math.max(0, length - window);
        String text = detokenizer.decode(java.util.Arrays.copyOfRange(tokens, from, length));
        for (String s : stops) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** The text cut right after the stop string that ends first in it (unchanged when none does). */
    public String cut(String text) {
        int end = -1;
        for (String s : stops) {
            int at = text.indexOf(s);
            if (at >= 0 && (end < 0 || at + s.length() < end)) {
                end = at + s.length();
            }
        }
        return end < 0 ? text : text.substring(0, end);
    }
}
