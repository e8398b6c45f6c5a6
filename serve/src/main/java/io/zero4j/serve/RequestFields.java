package io.zero4j.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A request body's fields, read with their types checked: a wrong type or range is a 400 naming the
 * field, and a field no reader asked for is refused as OpenAI refuses it ("Unrecognized request
 * argument"), so a setting the server does not implement is never silently ignored.
 */
final class RequestFields {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode body;
    private final Set<String> read = new HashSet<>();

    private RequestFields(JsonNode body) {
        this.body = body;
    }

    static RequestFields parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw ApiError.invalid(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiError.invalid(null, "the body must be a JSON object");
        }
        return new RequestFields(node);
    }

    /** The field, or null when absent or JSON null. */
    JsonNode node(String name) {
        read.add(name);
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    String string(String name, String fallback) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw ApiError.invalid(name, "'" + name + "' must be a string");
        }
        return n.asText();
    }

    String requiredString(String name) {
        String s = string(name, null);
        if (s == null) {
            throw ApiError.invalid(name, "'" + name + "' is required");
        }
        return s;
    }

    long integer(String name, long fallback, long min, long max) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiError.invalid(name, "'" + name + "' must be an integer in [" + min + ", " + max + "], got " + n);
        }
        return n.asLong();
    }

    double number(String name, double fallback, double min, double max) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber() || !(n.asDouble() >= min && n.asDouble() <= max)) {
            throw ApiError.invalid(name, "'" + name + "' must be a number in [" + min + ", " + max + "], got " + n);
        }
        return n.asDouble();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiError.invalid(name, "'" + name + "' must be true or false");
        }
        return n.asBoolean();
    }

    /** A field accepted only at its neutral value, since this server does not implement it. */
    void onlyNeutral(String name, double neutral) {
        if (number(name, neutral, -Double.MAX_VALUE, Double.MAX_VALUE) != neutral) {
            throw ApiError.invalid(name, "'" + name + "' is not supported by zero4j serve; leave it at " + neutral);
        }
    }

    /** After every reader: a field nobody read is refused. */
    void rejectUnknown() {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!read.contains(name)) {
                throw ApiError.invalid(name, "Unrecognized request argument supplied: " + name);
            }
        }
    }
}
