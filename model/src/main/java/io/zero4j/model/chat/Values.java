package io.zero4j.model.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The template's values and Python's rules for them. A value is null (None), a Boolean, a Long,
 * a Double, a String, a List (a {@link Tuple} is a List), a Map with insertion order, a
 * {@link Namespace}, a {@link TemplateFunction} or {@link Undefined#INSTANCE}.
 */
final class Values {
    private Values() {
    }

    /** Converts caller data (Integer, BigDecimal, Set, arrays, records...) into template values, copying containers. */
    static Object normalize(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double
                || v instanceof Undefined || v instanceof Namespace || v instanceof TemplateFunction) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return Double.parseDouble(f.toString());
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
        }
        if (v instanceof BigDecimal || v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Tuple t) {
            return new Tuple(t.stream().map(Values::normalize).toList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((key, value) -> copy.put(normalize(key), normalize(value)));
            return copy;
        }
        if (v instanceof Collection<?> c) {
            List<Object> copy = new ArrayList<>();
            c.forEach(item -> copy.add(normalize(item)));
            return copy;
        }
        if (v instanceof Object[] array) {
            return normalize(java.util.Arrays.asList(array));
        }
        if (v instanceof Optional<?> o) {
            return normalize(o.orElse(null));
        }
        return v instanceof Enum<?> e ? e.name() : v.toString();
    }

    static boolean truthy(Object v) {
        if (v == null || v instanceof Undefined) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0.0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return !(v instanceof Map<?, ?> m) || !m.isEmpty();
    }

    /** Python's {@code str()}: None, True, 1.0, lists as their repr; undefined prints as nothing. */
    static String str(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Undefined) {
            return "";
        }
        return repr(v);
    }

    /** Python's {@code repr()}. */
    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d) {
            return Numbers.formatFloat(d);
        }
        if (v instanceof String s) {
            return StringEscapes.repr(s);
        }
        if (v instanceof Tuple t) {
            return t.stream().map(Values::repr).collect(Collectors.joining(", ", "(", t.size() == 1 ? ",)" : ")"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Values::repr).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof Namespace ns) {
            return "<Namespace " + repr(ns.attributes) + ">";
        }
        if (v instanceof Undefined) {
            return "Undefined";
        }
        return v instanceof TemplateFunction ? "<function>" : v.toString();
    }

    /** Python's name for the value's type, for error messages. */
    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Long) {
            return "int";
        }
        if (v instanceof Double) {
            return "float";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof Tuple) {
            return "tuple";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Map) {
            return "dict";
        }
        return v instanceof Namespace ? "Namespace" : v instanceof Undefined ? "undefined" : "function";
    }

    /** Whether the value is a Python number (a bool is one, as in Python). */
    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static long toLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    }

    static double toDouble(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
    }

    /** Python's {@code ==}: 1 == 1.0 == True, a tuple never equals a list, undefined equals only undefined. */
    static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            return isIntegral(a) && isIntegral(b) ? toLong(a) == toLong(b) : toDouble(a) == toDouble(b);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (a instanceof Tuple != b instanceof Tuple || la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            return ma.size() == mb.size() && ma.entrySet().stream()
                    .allMatch(e -> mb.containsKey(e.getKey()) && equal(e.getValue(), mb.get(e.getKey())));
        }
        return a.equals(b);
    }

    /** Python's ordering for {@code <} and friends: numbers, strings, and lists of comparable items. */
    static int compare(Object a, Object b, String op) {
        if (isNumber(a) && isNumber(b)) {
            return isIntegral(a) && isIntegral(b) ? Long.compare(toLong(a), toLong(b))
                    : Double.compare(toDouble(a), toDouble(b));
        }
        if (a instanceof String sa && b instanceof String sb) {
            return sa.compareTo(sb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && a instanceof Tuple == b instanceof Tuple) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return compare(la.get(i), lb.get(i), op);
                }
            }
            return Integer.compare(la.size(), lb.size());
        }
        throw new TemplateException("'" + op + "' is not supported between " + typeName(a) + " and " + typeName(b));
    }

    /** The items a for loop visits: a list's items, a dict's keys, a string's characters; undefined is empty. */
    static List<?> iterate(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (v instanceof String s) {
            return s.codePoints().mapToObj(Character::toString).toList();
        }
        if (v instanceof Undefined) {
            return List.of();
        }
        throw new TemplateException("'" + typeName(v) + "' object is not iterable");
    }

    static int length(Object v) {
        if (v instanceof String s) {
            return Strings.length(s);
        }
        if (v instanceof Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        if (v instanceof Undefined) {
            return 0;
        }
        throw new TemplateException("object of type '" + typeName(v) + "' has no len()");
    }
}
