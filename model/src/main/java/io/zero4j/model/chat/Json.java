package io.zero4j.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON both ways: Jackson trees into template values, and template values out as Python's
 * {@code json.dumps} writes them (what transformers' {@code tojson} filter calls): separators
 * {@code ", "} and {@code ": "}, or {@code ","} with an indent; floats as Python prints them.
 */
final class Json {
    private Json() {
    }

    /** A Jackson tree as plain Java: Map (insertion order), List, String, Long, Double, Boolean, null. */
    static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), toPlain(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toPlain(item)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        return node.isNumber() ? (Object) node.doubleValue() : node.asText();
    }

    /** {@code json.dumps(value, ensure_ascii=..., indent=..., separators=..., sort_keys=...)}. */
    static String dumps(Object value, boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        String indentText = indent == null ? null : indent instanceof String s ? s
                : Values.isIntegral(indent) ? " ".repeat((int) Math.max(0, Values.toLong(indent))) : badIndent(indent);
        String item = indentText == null ? ", " : ",";
        String key = ": ";
        if (separators != null) {
            List<?> pair = Values.iterate(separators);
            if (pair.size() != 2) {
                throw new TemplateException("tojson() separators must be a pair of strings");
            }
            item = Values.str(pair.get(0));
            key = Values.str(pair.get(1));
        }
        StringBuilder out = new StringBuilder();
        new Writer(out, ensureAscii, indentText, item, key, sortKeys).write(value, 0);
        return out.toString();
    }

    private static String badIndent(Object indent) {
        throw new TemplateException("tojson() indent must be an integer or a string, not " + Values.typeName(indent));
    }

    private record Writer(StringBuilder out, boolean ensureAscii, String indent, String item, String key,
            boolean sortKeys) {
        void write(Object v, int depth) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (v instanceof Long l) {
                out.append(l);
            } else if (v instanceof Double d) {
                out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                        : Numbers.formatFloat(d));
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof List<?> l) {
                container('[', ']', l, depth, (x, d) -> write(x, d));
            } else if (v instanceof Map<?, ?> m) {
                List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
                if (sortKeys) {
                    entries.sort((a, b) -> keyText(a.getKey()).compareTo(keyText(b.getKey())));
                }
                container('{', '}', entries, depth, (e, d) -> {
                    string(keyText(e.getKey()));
                    out.append(key);
                    write(e.getValue(), d);
                });
            } else {
                throw new TemplateException("Object of type " + Values.typeName(v) + " is not JSON serializable");
            }
        }

        private <T> void container(char open, char close, List<T> items, int depth,
                java.util.function.BiConsumer<T, Integer> each) {
            out.append(open);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(item);
                }
                if (indent != null) {
                    out.append('\n').append(indent.repeat(depth + 1));
                }
                each.accept(items.get(i), depth + 1);
            }
            if (indent != null && !items.isEmpty()) {
                out.append('\n').append(indent.repeat(depth));
            }
            out.append(close);
        }

        private String keyText(Object k) {
            if (k instanceof String s) {
                return s;
            }
            if (k == null || k instanceof Boolean || Values.isNumber(k)) {
                return k == null ? "null" : k instanceof Boolean b ? (b ? "true" : "false") : Values.str(k);
            }
            throw new TemplateException("keys must be str, int, float, bool or None, not " + Values.typeName(k));
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> out.append(c < 0x20 || ensureAscii && c > 0x7e ? String.format("\\u%04x", (int) c) : c);
                }
            }
            out.append('"');
        }
    }
}
