package io.zero4j.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * One line that says what is wrong with a JSON (or YAML) text and where: Jackson's own message
 * without its source excerpt ({@code [Source: REDACTED ...]}), then {@code line L, column C}.
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    public static String describe(Exception e) {
        if (e instanceof JsonProcessingException j) {
            String what = firstLine(j.getOriginalMessage());
            JsonLocation at = j.getLocation();
            return at == null || at.getLineNr() < 0 ? what : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + what;
        }
        return firstLine(e.getMessage());
    }

    static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
