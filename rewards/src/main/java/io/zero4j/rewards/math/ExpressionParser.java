package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Recursive descent over a normalised answer ({@link AnswerNormalizer}): {@code + - * / ^},
 * implicit multiplication ({@code 2x}, {@code 3\sqrt{2}}), {@code \frac}, {@code \sqrt[n]{}},
 * {@code \pi}, {@code e}, {@code \infty}, a few functions, and mixed numbers ({@code 3\frac{1}{2}}
 * is 3 + 1/2). Nesting deeper than {@link #MAX_DEPTH} or a literal longer than
 * {@link #MAX_LITERAL} is a parse failure: hostile input cannot recurse or allocate without bound.
 */
public final class ExpressionParser {
    static final int MAX_DEPTH = 64;
    static final int MAX_LITERAL = 400;

    /** The answer could not be parsed. */
    public static final class ParseFailure extends RuntimeException {
        ParseFailure(String message) {
            super(message, null, false, false);
        }
    }

    private final String s;
    private final Budget budget;
    private int pos;
    private int depth;

    private ExpressionParser(String s, Budget budget) {
        this.s = s;
        this.budget = budget;
    }

    public static Expression parse(String normalized, Budget budget) {
        if (normalized.isEmpty()) {
            throw new ParseFailure("empty");
        }
        ExpressionParser p = new ExpressionParser(normalized, budget);
        Expression e = p.expression();
        if (p.pos != p.s.length()) {
            throw new ParseFailure("unexpected '" + p.s.charAt(p.pos) + "' at " + p.pos);
        }
        return e;
    }

    private Expression expression() {
        if (++depth > MAX_DEPTH) {
            throw new ParseFailure("nested too deeply");
        }
        Expression e = term();
        while (pos < s.length() && (peek() == '+' || peek() == '-')) {
            budget.check();
            char op = s.charAt(pos++);
            e = new Expression.Binary(op == '+' ? Expression.Op.ADD : Expression.Op.SUB, e, term());
        }
        depth--;
        return e;
    }

    private Expression term() {
        Expression e = unary();
        while (pos < s.length()) {
            budget.check();
            char c = peek();
            if (c == '*' || c == '/') {
                pos++;
                e = new Expression.Binary(c == '*' ? Expression.Op.MUL : Expression.Op.DIV, e, unary());
            } else if (startsAtom()) {
                boolean negative = e instanceof Expression.Unary u && u.fn() == Expression.Fn.NEG;
                Expression whole = negative ? ((Expression.Unary) e).arg() : e;
                boolean mixed = whole instanceof Expression.Constant k && k.value().isRational()
                        && k.value().den().equals(BigInteger.ONE) && s.startsWith("\\frac", pos);
                Expression next = power();
                if (mixed && isSimpleFraction(next)) { // 3\frac{1}{2} is 3 + 1/2, and -3\frac{1}{2} is -(3 + 1/2)
                    Expression sum = new Expression.Binary(Expression.Op.ADD, whole, next);
                    e = negative ? new Expression.Unary(Expression.Fn.NEG, sum) : sum;
                } else {
                    e = new Expression.Binary(Expression.Op.MUL, e, next);
                }
            } else {
                break;
            }
        }
        return e;
    }

    private static boolean isSimpleFraction(Expression e) {
        return e instanceof Expression.Binary b && b.op() == Expression.Op.DIV
                && b.left() instanceof Expression.Constant && b.right() instanceof Expression.Constant;
    }

    private Expression unary() {
        if (pos < s.length() && (peek() == '-' || peek() == '+')) {
            char c = s.charAt(pos++);
            if (++depth > MAX_DEPTH) {
                throw new ParseFailure("nested too deeply");
            }
            Expression inner = unary();
            depth--;
            return c == '-' ? new Expression.Unary(Expression.Fn.NEG, inner) : inner;
        }
        return power();
    }

    private Expression power() {
        Expression base = atom();
        if (pos < s.length() && peek() == '^') {
            pos++;
            if (++depth > MAX_DEPTH) {
                throw new ParseFailure("nested too deeply");
            }
            Expression exponent = pos < s.length() && peek() == '{' ? group() : unary();
            depth--;
            return new Expression.Binary(Expression.Op.POW, base, exponent);
        }
        return base;
    }

    private boolean startsAtom() {
        char c = peek();
        return Character.isLetterOrDigit(c) || c == '(' || c == '{' || c == '\\' || c == '.';
    }

    private Expression atom() {
        budget.check();
        if (pos >= s.length()) {
            throw new ParseFailure("unexpected end");
        }
        char c = peek();
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (c == '(' || c == '{' || c == '[') {
            return group();
        }
        if (c == '\\') {
            return command();
        }
        if (Character.isLetter(c)) {
            pos++;
            return c == 'e' ? new Expression.Constant(Value.real(Math.E)) : new Expression.Variable(String.valueOf(c));
        }
        throw new ParseFailure("unexpected '" + c + "' at " + pos);
    }

    /** {@code (...)}, {@code {...}} or {@code [...]}. */
    private Expression group() {
        char open = s.charAt(pos++);
        char close = open == '(' ? ')' : open == '{' ? '}' : ']';
        Expression e = expression();
        if (pos >= s.length() || s.charAt(pos) != close) {
            throw new ParseFailure("missing '" + close + "'");
        }
        pos++;
        return e;
    }

    /** A braced group, or LaTeX's single-character argument ({@code \frac12}). */
    private Expression argument() {
        if (pos < s.length() && peek() == '{') {
            return group();
        }
        if (pos < s.length() && Character.isDigit(peek())) {
            return new Expression.Constant(Value.integer(s.charAt(pos++) - '0'));
        }
        return atom();
    }

    private Expression command() {
        int start = ++pos;
        while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
            pos++;
        }
        String name = s.substring(start, pos);
        switch (name) {
            case "frac":
                return new Expression.Binary(Expression.Op.DIV, argument(), argument());
            case "sqrt":
                if (pos < s.length() && peek() == '[') {
                    Expression index = group();
                    Expression radicand = argument();
                    return new Expression.Binary(Expression.Op.POW, radicand,
                            new Expression.Binary(Expression.Op.DIV, new Expression.Constant(Value.integer(1)), index));
                }
                return new Expression.Unary(Expression.Fn.SQRT, argument());
            case "pi":
                return new Expression.Constant(Value.real(Math.PI));
            case "infty":
            case "infinity":
                return new Expression.Constant(Value.infinity(1));
            case "sin", "cos", "tan", "ln", "log", "exp":
                return new Expression.Unary(Expression.Fn.valueOf(name.toUpperCase()), power());
            default:
                throw new ParseFailure("unknown command \\" + name);
        }
    }

    private Expression number() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(peek())) {
            pos++;
        }
        if (pos < s.length() && peek() == '.') {
            pos++;
            while (pos < s.length() && Character.isDigit(peek())) {
                pos++;
            }
        }
        int mantissaEnd = pos;
        if (pos + 1 < s.length() && (peek() == 'e' || peek() == 'E')
                && (Character.isDigit(s.charAt(pos + 1))
                    || ((s.charAt(pos + 1) == '-' || s.charAt(pos + 1) == '+') && pos + 2 < s.length()
                        && Character.isDigit(s.charAt(pos + 2))))) {
            pos += 2;
            while (pos < s.length() && Character.isDigit(peek())) {
                pos++;
            }
        }
        String literal = s.substring(start, pos);
        if (literal.equals(".") || literal.length() > MAX_LITERAL) {
            throw new ParseFailure("bad number");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(literal.startsWith(".") ? "0" + literal : literal);
        } catch (NumberFormatException e) {
            throw new ParseFailure("bad number " + literal);
        }
        if (Math.abs((long) d.scale()) > 1000 || mantissaEnd - start > MAX_LITERAL) {
            return new Expression.Constant(Value.real(d.doubleValue()));
        }
        BigInteger unscaled = d.unscaledValue();
        Value v = d.scale() <= 0
                ? Value.rational(unscaled.multiply(BigInteger.TEN.pow(-d.scale())), BigInteger.ONE)
                : Value.rational(unscaled, BigInteger.TEN.pow(d.scale()));
        return new Expression.Constant(v);
    }

    private char peek() {
        return s.charAt(pos);
    }
}
