package io.zero4j.model.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test shorthand: render a template with alternating variable names and values. */
final class Render {
    /** 2025-03-07 14:05:09 UTC, a Friday, for strftime_now. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-07T14:05:09Z"), ZoneOffset.UTC);

    private Render() {
    }

    static String render(String template, Object... namesAndValues) {
        return JinjaTemplate.compile(template).render(vars(namesAndValues), CLOCK);
    }

    static Map<String, Object> vars(Object... namesAndValues) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            vars.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return vars;
    }
}
