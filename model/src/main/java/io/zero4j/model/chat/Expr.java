package io.zero4j.model.chat;

import java.util.List;
import java.util.Map;

/** An expression of the template language; every node knows the template line it starts on. */
sealed interface Expr {
    int line();

    /** A string, number, boolean or none written in the template. */
    record Literal(Object value, int line) implements Expr {
    }

    record Name(String name, int line) implements Expr {
    }

    record ListLiteral(List<Expr> items, int line) implements Expr {
    }

    record TupleLiteral(List<Expr> items, int line) implements Expr {
    }

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {
    }

    /** {@code object.name}: a mapping key, a namespace attribute or a method. */
    record Attribute(Expr object, String name, int line) implements Expr {
    }

    /** {@code object[key]}. */
    record Item(Expr object, Expr key, int line) implements Expr {
    }

    /** {@code object[start:stop:step]}, any part may be null. */
    record Slice(Expr object, Expr start, Expr stop, Expr step, int line) implements Expr {
    }

    record Call(Expr callee, Arguments args, int line) implements Expr {
    }

    /** {@code operand | name(args)}. */
    record Filter(Expr operand, String name, Arguments args, int line) implements Expr {
    }

    /** {@code operand is [not] name(args)}. */
    record Test(Expr operand, String name, Arguments args, boolean negated, int line) implements Expr {
    }

    /** {@code not x}, {@code -x} or {@code +x}. */
    record Unary(String op, Expr operand, int line) implements Expr {
    }

    /** Arithmetic, {@code ~}, {@code and}, {@code or}. */
    record Binary(String op, Expr left, Expr right, int line) implements Expr {
    }

    /** {@code first op1 rest1 op2 rest2 ...} with ==, !=, <, <=, >, >=, in, not in. */
    record Compare(Expr first, List<String> ops, List<Expr> rest, int line) implements Expr {
    }

    /** {@code then if condition else otherwise}; a missing else gives undefined. */
    record Conditional(Expr condition, Expr then, Expr otherwise, int line) implements Expr {
    }

    /** The arguments of a call, filter or test. */
    record Arguments(List<Expr> positional, Map<String, Expr> keyword) {
        static final Arguments NONE = new Arguments(List.of(), Map.of());
    }
}
