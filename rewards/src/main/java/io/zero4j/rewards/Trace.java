package io.zero4j.rewards;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a reward scored what it did, for {@code ./zero4j score --explain}: named entries in the
 * order they were decided (what was extracted from each side, the canonical forms, the reason for
 * the verdict). Code that judges takes a nullable trace and writes through {@link #note}, so
 * scoring without one costs nothing.
 */
public final class Trace {
    private final Map<String, String> entries = new LinkedHashMap<>();

    /** Records {@code key = value} when {@code trace} is not null; a later note of the same key replaces it. */
    public static void note(Trace trace, String key, String value) {
        if (trace != null) {
            trace.entries.put(key, value);
        }
    }

    public Map<String, String> entries() {
        return Collections.unmodifiableMap(entries);
    }
}
