package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Filters on strings and numbers: trim, upper, replace, indent, tojson, int, round, default... */
final class TextFilters {
    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    private TextFilters() {
    }

    static void register(Map<String, Filters.Filter> filters) {
        filters.put("trim", (v, a) -> Strings.strip(Values.str(v), a.accept(1, "chars").string(0, "chars", null)));
        filters.put("upper", (v, a) -> Strings.upper(text(v, a)));
        filters.put("lower", (v, a) -> Strings.lower(text(v, a)));
        filters.put("capitalize", (v, a) -> Strings.capitalize(text(v, a)));
        filters.put("title", (v, a) -> Strings.jinjaTitle(text(v, a)));
        filters.put("string", (v, a) -> text(v, a));
        filters.put("safe", (v, a) -> v);
        filters.put("escape", (v, a) -> Strings.htmlEscape(text(v, a)));
        filters.put("e", filters.get("escape"));
        filters.put("forceescape", filters.get("escape"));
        filters.put("wordcount", (v, a) -> {
            Matcher m = WORD.matcher(text(v, a));
            long n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        });
        filters.put("replace", (v, a) -> {
            a.accept(3, "old", "new", "count");
            return Strings.replace(Values.str(v), a.string(0, "old", ""), a.string(1, "new", ""),
                    a.get(2, "count", null) == null ? -1 : a.integer(2, "count", -1));
        });
        filters.put("indent", TextFilters::indent);
        filters.put("tojson", (v, a) -> {
            a.accept(4, "ensure_ascii", "indent", "separators", "sort_keys");
            return Json.dumps(v, a.bool(0, "ensure_ascii", false), a.get(1, "indent", null),
                    a.get(2, "separators", null), a.bool(3, "sort_keys", false));
        });
        filters.put("default", (v, a) -> {
            a.accept(2, "default_value", "boolean");
            boolean missing = v instanceof Undefined || a.bool(1, "boolean", false) && !Values.truthy(v);
            return missing ? a.get(0, "default_value", "") : v;
        });
        filters.put("d", filters.get("default"));
        filters.put("int", TextFilters::toInt);
        filters.put("float", TextFilters::toFloat);
        filters.put("abs", (v, a) -> {
            a.accept(0);
            if (v instanceof Double d) {
                return Math.abs(d);
            }
            if (Values.isIntegral(v)) {
                return Math.abs(Values.toLong(v));
            }
            throw new TemplateException("bad operand type for abs(): '" + Values.typeName(v) + "'");
        });
        filters.put("round", (v, a) -> {
            a.accept(2, "precision", "method");
            if (!Values.isNumber(v)) {
                throw new TemplateException("round() needs a number, not " + Values.typeName(v));
            }
            return Numbers.round(v, a.integer(0, "precision", 0), a.string(1, "method", "common"));
        });
    }

    private static String text(Object v, Args a) {
        a.accept(0);
        return Values.str(v);
    }

    /** Jinja2's indent: every line but the first (unless first=True) gets the indentation; blank lines stay empty. */
    private static Object indent(Object v, Args a) {
        a.accept(3, "width", "first", "blank");
        Object width = a.get(0, "width", 4L);
        String indentation = width instanceof String s ? s : " ".repeat((int) Math.max(0, a.integer(0, "width", 4)));
        List<String> lines = Strings.splitlines(Values.str(v) + "\n");
        StringBuilder out = new StringBuilder();
        if (a.bool(2, "blank", false)) {
            out.append(String.join("\n" + indentation, lines));
        } else {
            out.append(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                out.append('\n').append(line.isEmpty() ? "" : indentation + line);
            }
        }
        return a.bool(1, "first", false) ? indentation + out : out.toString();
    }

    private static Object toInt(Object v, Args a) {
        a.accept(2, "default", "base");
        Object fallback = a.get(0, "default", 0L);
        if (Values.isIntegral(v)) {
            return Values.toLong(v);
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? (Object) (long) d.doubleValue() : fallback;
        }
        if (!(v instanceof String s)) {
            return fallback;
        }
        String digits = Strings.strip(s, null).replace("_", "");
        try {
            return Long.parseLong(digits, (int) a.integer(1, "base", 10));
        } catch (NumberFormatException e) {
            Object asFloat = toFloat(s, new Args("float", new ArrayList<>(List.of(Double.NaN)), Map.of()));
            return asFloat instanceof Double d && Double.isFinite(d) ? (Object) (long) d.doubleValue() : fallback;
        }
    }

    private static Object toFloat(Object v, Args a) {
        a.accept(1, "default");
        Object fallback = a.get(0, "default", 0.0);
        if (Values.isNumber(v)) {
            return Values.toDouble(v);
        }
        if (!(v instanceof String s)) {
            return fallback;
        }
        String t = Strings.lower(Strings.strip(s, null)).replace("_", "");
        String unsigned = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (unsigned.equals("inf") || unsigned.equals("infinity") || unsigned.equals("nan")) {
            double special = unsigned.equals("nan") ? Double.NaN : Double.POSITIVE_INFINITY;
            return t.startsWith("-") ? -special : special;
        }
        if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
            return fallback;
        }
        return Double.parseDouble(t);
    }
}
