package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Python methods templates call on strings ({@code content.split('</think>')}) and dicts ({@code d.items()}). */
final class Methods {
    private static final Set<String> STRING_METHODS = Set.of("strip", "lstrip", "rstrip", "split", "rsplit",
            "splitlines", "startswith", "endswith", "upper", "lower", "title", "capitalize", "replace", "find",
            "rfind", "count", "join", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower");
    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get");

    private Methods() {
    }

    static boolean isStringMethod(String name) {
        return STRING_METHODS.contains(name);
    }

    static boolean isDictMethod(String name) {
        return DICT_METHODS.contains(name);
    }

    static TemplateFunction bind(String s, String name) {
        return (positional, keyword) -> callString(s, name, new Args(name, positional, keyword));
    }

    static TemplateFunction bind(Map<?, ?> m, String name) {
        return (positional, keyword) -> callDict(m, name, new Args(name, positional, keyword));
    }

    private static Object callDict(Map<?, ?> m, String name, Args a) {
        return switch (name) {
            case "items" -> m.entrySet().stream().map(e -> (Object) Tuple.of(e.getKey(), e.getValue())).toList();
            case "keys" -> new ArrayList<>(m.keySet());
            case "values" -> new ArrayList<>(m.values());
            default -> lookup(m, a.accept(2).required(0, "key"), a.get(1, "default", null));
        };
    }

    private static Object lookup(Map<?, ?> m, Object key, Object fallback) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (Values.equal(e.getKey(), key)) {
                return e.getValue();
            }
        }
        return fallback;
    }

    private static Object callString(String s, String name, Args a) {
        switch (name) {
            case "strip":
                return Strings.strip(s, a.accept(1).string(0, "chars", null));
            case "lstrip":
                return Strings.lstrip(s, a.accept(1).string(0, "chars", null));
            case "rstrip":
                return Strings.rstrip(s, a.accept(1).string(0, "chars", null));
            case "split":
                a.accept(2, "sep", "maxsplit");
                return Strings.split(s, a.string(0, "sep", null), a.integer(1, "maxsplit", -1));
            case "rsplit":
                a.accept(2, "sep", "maxsplit");
                return Strings.rsplit(s, a.string(0, "sep", null), a.integer(1, "maxsplit", -1));
            case "splitlines":
                return new ArrayList<Object>(Strings.splitlines(s));
            case "startswith":
                return affixes(a).stream().anyMatch(s::startsWith);
            case "endswith":
                return affixes(a).stream().anyMatch(s::endsWith);
            case "replace":
                a.accept(3, "count");
                return Strings.replace(s, text(a, 0), text(a, 1), a.integer(2, "count", -1));
            case "find", "rfind": {
                String sub = text(a.accept(1), 0);
                int at = name.equals("find") ? s.indexOf(sub) : s.lastIndexOf(sub);
                return at < 0 ? -1L : (long) s.codePointCount(0, at);
            }
            case "count": {
                String sub = text(a.accept(1), 0);
                return sub.isEmpty() ? Strings.length(s) + 1L : (long) Strings.split(s, sub, -1).size() - 1;
            }
            case "join":
                return Values.iterate(a.accept(1).required(0, "iterable")).stream().map(Methods::joinable)
                        .collect(Collectors.joining(s));
            default:
                a.accept(0);
                return caseMethod(s, name);
        }
    }

    private static Object caseMethod(String s, String name) {
        return switch (name) {
            case "upper" -> Strings.upper(s);
            case "lower" -> Strings.lower(s);
            case "title" -> Strings.pythonTitle(s);
            case "capitalize" -> Strings.capitalize(s);
            case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(Strings::isSpace);
            case "isupper" -> Tests.apply("upper", s, Args.NONE);
            default -> Tests.apply("lower", s, Args.NONE);
        };
    }

    private static String text(Args a, int index) {
        Object v = a.required(index, index == 0 ? "old" : "new");
        if (!(v instanceof String s)) {
            throw new TemplateException(a.callee() + "() needs a string, not " + Values.typeName(v));
        }
        return s;
    }

    /** The prefix or suffix argument of startswith/endswith: a string or a tuple of strings. */
    private static List<String> affixes(Args a) {
        Object v = a.accept(1).required(0, "prefix");
        List<?> options = v instanceof List<?> l ? l : List.of(v);
        List<String> affixes = new ArrayList<>();
        for (Object o : options) {
            if (!(o instanceof String s)) {
                throw new TemplateException(a.callee() + "() needs a string or a tuple of strings, not "
                        + Values.typeName(o));
            }
            affixes.add(s);
        }
        return affixes;
    }

    private static String joinable(Object o) {
        if (!(o instanceof String s)) {
            throw new TemplateException("join() needs strings, not " + Values.typeName(o));
        }
        return s;
    }
}
