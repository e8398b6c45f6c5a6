package io.zero4j.model.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/** The tests of {@code value is name(args)}: defined, none, string, mapping, equalto, divisibleby... */
final class Tests {
    private static final Map<String, BiPredicate<Object, Args>> TESTS = new HashMap<>();

    static {
        unary("defined", v -> !(v instanceof Undefined));
        unary("undefined", v -> v instanceof Undefined);
        unary("none", v -> v == null);
        unary("boolean", v -> v instanceof Boolean);
        unary("true", v -> Boolean.TRUE.equals(v));
        unary("false", v -> Boolean.FALSE.equals(v));
        unary("integer", v -> v instanceof Long);
        unary("float", v -> v instanceof Double);
        unary("number", Values::isNumber);
        unary("string", v -> v instanceof String);
        unary("mapping", v -> v instanceof Map);
        unary("iterable", v -> v instanceof List || v instanceof Map || v instanceof String || v instanceof Undefined);
        unary("sequence", v -> v instanceof List || v instanceof Map || v instanceof String || v instanceof Undefined);
        unary("callable", v -> v instanceof TemplateFunction);
        unary("escaped", v -> false);
        unary("odd", v -> Math.floorMod(integer(v), 2) == 1);
        unary("even", v -> Math.floorMod(integer(v), 2) == 0);
        unary("lower", v -> cased(Values.str(v), false));
        unary("upper", v -> cased(Values.str(v), true));
        TESTS.put("divisibleby", (v, a) -> {
            long divisor = a.accept(1, "num").integer(0, "num", 1);
            if (divisor == 0) {
                throw new TemplateException("division by zero");
            }
            return Math.floorMod(integer(v), divisor) == 0;
        });
        binary("sameas", (v, o) -> v == o || v != null && (v instanceof Boolean || v instanceof String) && v.equals(o));
        binary("eq", Values::equal);
        binary("ne", (v, o) -> !Values.equal(v, o));
        binary("lt", (v, o) -> Values.compare(v, o, "<") < 0);
        binary("le", (v, o) -> Values.compare(v, o, "<=") <= 0);
        binary("gt", (v, o) -> Values.compare(v, o, ">") > 0);
        binary("ge", (v, o) -> Values.compare(v, o, ">=") >= 0);
        binary("in", (v, o) -> Operators.contains(o, v));
        alias("equalto", "eq");
        alias("==", "eq");
        alias("!=", "ne");
        alias("lessthan", "lt");
        alias("<", "lt");
        alias("<=", "le");
        alias("greaterthan", "gt");
        alias(">", "gt");
        alias(">=", "ge");
        TESTS.put("filter", (v, a) -> Filters.exists(Values.str(v)));
        TESTS.put("test", (v, a) -> TESTS.containsKey(Values.str(v)));
    }

    private Tests() {
    }

    static boolean exists(String name) {
        return TESTS.containsKey(name);
    }

    static boolean apply(String name, Object value, Args args) {
        BiPredicate<Object, Args> test = TESTS.get(name);
        if (test == null) {
            throw new TemplateException("unknown test '" + name + "'");
        }
        return test.test(value, args.named(name));
    }

    private static void unary(String name, java.util.function.Predicate<Object> test) {
        TESTS.put(name, (v, a) -> {
            a.accept(0);
            return test.test(v);
        });
    }

    private static void binary(String name, BiPredicate<Object, Object> test) {
        TESTS.put(name, (v, a) -> test.test(v, a.accept(1, "other").required(0, "other")));
    }

    private static void alias(String alias, String name) {
        TESTS.put(alias, TESTS.get(name));
    }

    private static long integer(Object v) {
        if (!Values.isIntegral(v)) {
            throw new TemplateException("expected an integer, not " + Values.typeName(v));
        }
        return Values.toLong(v);
    }

    private static boolean cased(String s, boolean upper) {
        boolean anyCased = false;
        for (int cp : s.codePoints().toArray()) {
            if (upper ? Character.isLowerCase(cp) : Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                return false;
            }
            anyCased |= Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
        }
        return anyCased;
    }
}
