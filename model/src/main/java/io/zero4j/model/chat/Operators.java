package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The binary and unary operators with Python's types and errors, bounded so a render cannot exhaust memory. */
final class Operators {
    /** The longest string or list an operator may build. */
    static final int MAX_LENGTH = 10_000_000;

    private Operators() {
    }

    static Object binary(String op, Object a, Object b) {
        if (op.equals("~")) {
            return checked(Values.str(a) + Values.str(b));
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            throw new TemplateException("cannot apply '" + op + "' to an undefined value");
        }
        boolean numbers = Values.isNumber(a) && Values.isNumber(b);
        boolean integers = Values.isIntegral(a) && Values.isIntegral(b);
        try {
            switch (op) {
                case "+":
                    if (numbers) {
                        return integers ? (Object) Math.addExact(Values.toLong(a), Values.toLong(b))
                                : (Object) (Values.toDouble(a) + Values.toDouble(b));
                    }
                    return concatenate(a, b);
                case "-":
                    if (numbers) {
                        return integers ? (Object) Math.subtractExact(Values.toLong(a), Values.toLong(b))
                                : (Object) (Values.toDouble(a) - Values.toDouble(b));
                    }
                    break;
                case "*":
                    if (numbers) {
                        return integers ? (Object) Math.multiplyExact(Values.toLong(a), Values.toLong(b))
                                : (Object) (Values.toDouble(a) * Values.toDouble(b));
                    }
                    return repeat(a, b, op);
                default:
                    if (numbers) {
                        return op.equals("/") ? Numbers.divide(a, b) : op.equals("//") ? Numbers.floorDivide(a, b)
                                : op.equals("%") ? Numbers.modulo(a, b) : Numbers.power(a, b);
                    }
            }
        } catch (ArithmeticException e) {
            throw new TemplateException("integer overflow in '" + op + "'");
        }
        throw unsupported(op, a, b);
    }

    private static Object concatenate(Object a, Object b) {
        if (a instanceof String sa && b instanceof String sb) {
            return checked(sa + sb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && a instanceof Tuple == b instanceof Tuple) {
            checkedSize((long) la.size() + lb.size());
            List<Object> joined = new ArrayList<>(la);
            joined.addAll(lb);
            return a instanceof Tuple ? new Tuple(joined) : joined;
        }
        throw unsupported("+", a, b);
    }

    private static Object repeat(Object a, Object b, String op) {
        Object sequence = Values.isIntegral(a) ? b : a;
        Object count = Values.isIntegral(a) ? a : b;
        if (!Values.isIntegral(count) || !(sequence instanceof String || sequence instanceof List)) {
            throw unsupported(op, a, b);
        }
        long n = Math.max(0, Values.toLong(count));
        if (sequence instanceof String s) {
            checkedSize(s.length() * n);
            return s.repeat((int) n);
        }
        List<?> items = (List<?>) sequence;
        checkedSize(items.size() * n);
        List<Object> repeated = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            repeated.addAll(items);
        }
        return sequence instanceof Tuple ? new Tuple(repeated) : repeated;
    }

    static Object negate(Object v) {
        if (v instanceof Double d) {
            return -d;
        }
        if (Values.isIntegral(v)) {
            return -Values.toLong(v);
        }
        throw new TemplateException("bad operand type for unary -: '" + Values.typeName(v) + "'");
    }

    static Object plus(Object v) {
        if (Values.isNumber(v)) {
            return v instanceof Boolean ? (Object) Values.toLong(v) : v;
        }
        throw new TemplateException("bad operand type for unary +: '" + Values.typeName(v) + "'");
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        if (container instanceof String s) {
            if (!(item instanceof String sub)) {
                throw new TemplateException("'in <string>' requires a string on the left, not " + Values.typeName(item));
            }
            return s.contains(sub);
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(item) || m.keySet().stream().anyMatch(k -> Values.equal(k, item));
        }
        if (container instanceof List<?> l) {
            return l.stream().anyMatch(x -> Values.equal(x, item));
        }
        if (container instanceof Undefined) {
            return false;
        }
        throw new TemplateException("argument of type '" + Values.typeName(container) + "' is not iterable");
    }

    static String checked(String s) {
        checkedSize(s.length());
        return s;
    }

    private static void checkedSize(long size) {
        if (size > MAX_LENGTH) {
            throw new TemplateException("a string or list longer than " + MAX_LENGTH + " would be built");
        }
    }

    private static TemplateException unsupported(String op, Object a, Object b) {
        return new TemplateException("unsupported operand types for " + op + ": '" + Values.typeName(a) + "' and '"
                + Values.typeName(b) + "'");
    }

    /** A copy of the list in reverse order. */
    static List<Object> reversed(List<?> items) {
        List<Object> copy = new ArrayList<>(items);
        Collections.reverse(copy);
        return copy;
    }
}
