package io.zero4j.model.chat;

import io.zero4j.model.chat.Expr.Arguments;
import io.zero4j.model.chat.Token.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses expressions with Jinja2's precedence, loosest first: {@code x if c else y}, {@code or},
 * {@code and}, {@code not}, comparisons and {@code in}, {@code + -}, {@code ~}, {@code * / // %},
 * {@code **}, unary minus; then filters ({@code |}), tests ({@code is}) and calls bind to the
 * operand before any operator, so {@code messages|length - 1} subtracts from the length.
 */
final class ExpressionParser {
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<Kind> TEST_ARGUMENT_STARTS = Set.of(Kind.NAME, Kind.STRING, Kind.INT, Kind.FLOAT);

    private final TokenStream ts;

    ExpressionParser(TokenStream ts) {
        this.ts = ts;
    }

    /** An expression, or several separated by commas as a tuple ({@code {{ a, b }}}, {@code set x = 1, 2}). */
    Expr parseTuple() {
        int line = ts.peek().line();
        Expr first = parseExpression();
        if (!ts.peek().isOp(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (ts.skipOp(",") && !ts.atTagEnd()) {
            items.add(parseExpression());
        }
        return new Expr.TupleLiteral(items, line);
    }

    Expr parseExpression() {
        Expr expr = parseOr();
        while (ts.peek().isName("if")) {
            int line = ts.next().line();
            Expr condition = parseOr();
            Expr otherwise = ts.skipName("else") ? parseExpression() : null;
            expr = new Expr.Conditional(condition, expr, otherwise, line);
        }
        return expr;
    }

    Expr parseOr() {
        Expr left = parseAnd();
        while (ts.peek().isName("or")) {
            ts.next();
            left = new Expr.Binary("or", left, parseAnd(), left.line());
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (ts.skipName("and")) {
            left = new Expr.Binary("and", left, parseNot(), left.line());
        }
        return left;
    }

    private Expr parseNot() {
        if (ts.peek().isName("not")) {
            int line = ts.next().line();
            return new Expr.Unary("not", parseNot(), line);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Expr first = parseSum();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = ts.peek();
            if (t.kind() == Kind.OP && COMPARISONS.contains(t.text()) || t.isName("in")) {
                ops.add(ts.next().text());
            } else if (t.isName("not") && ts.peek(1).isName("in")) {
                ts.next();
                ts.next();
                ops.add("not in");
            } else {
                break;
            }
            rest.add(parseSum());
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, rest, first.line());
    }

    private Expr parseSum() {
        Expr left = parseConcat();
        while (ts.peek().isOp("+") || ts.peek().isOp("-")) {
            left = new Expr.Binary(ts.next().text(), left, parseConcat(), left.line());
        }
        return left;
    }

    private Expr parseConcat() {
        Expr left = parseProduct();
        while (ts.skipOp("~")) {
            left = new Expr.Binary("~", left, parseProduct(), left.line());
        }
        return left;
    }

    private Expr parseProduct() {
        Expr left = parsePower();
        while (ts.peek().isOp("*") || ts.peek().isOp("/") || ts.peek().isOp("//") || ts.peek().isOp("%")) {
            left = new Expr.Binary(ts.next().text(), left, parsePower(), left.line());
        }
        return left;
    }

    private Expr parsePower() {
        Expr left = parseUnary(true);
        while (ts.skipOp("**")) {
            left = new Expr.Binary("**", left, parseUnary(true), left.line());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilters) {
        Token t = ts.peek();
        Expr expr;
        if (t.isOp("-") || t.isOp("+")) {
            ts.next();
            expr = new Expr.Unary(t.text(), parseUnary(false), t.line());
        } else {
            expr = parsePrimary();
        }
        expr = parsePostfix(expr);
        return withFilters ? parseFiltersAndTests(expr) : expr;
    }

    private Expr parsePrimary() {
        Token t = ts.next();
        switch (t.kind()) {
            case NAME:
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Literal(Boolean.TRUE, t.line());
                    case "false", "False" -> new Expr.Literal(Boolean.FALSE, t.line());
                    case "none", "None" -> new Expr.Literal(null, t.line());
                    default -> new Expr.Name(t.text(), t.line());
                };
            case STRING:
                StringBuilder s = new StringBuilder(t.text());
                while (ts.peek().kind() == Kind.STRING) {
                    s.append(ts.next().text());
                }
                return new Expr.Literal(s.toString(), t.line());
            case INT:
                try {
                    return new Expr.Literal(Long.parseLong(t.text()), t.line());
                } catch (NumberFormatException e) {
                    throw TemplateException.at(t.line(), "integer literal " + t.text() + " is too large");
                }
            case FLOAT:
                return new Expr.Literal(Double.parseDouble(t.text()), t.line());
            default:
                return Literals.parseBracketed(this, ts, t);
        }
    }

    private Expr parsePostfix(Expr expr) {
        while (true) {
            Token t = ts.peek();
            if (t.isOp(".")) {
                ts.next();
                Token name = ts.next();
                if (name.kind() == Kind.INT) {
                    expr = new Expr.Item(expr, new Expr.Literal(Long.parseLong(name.text()), name.line()), t.line());
                } else if (name.kind() == Kind.NAME) {
                    expr = new Expr.Attribute(expr, name.text(), t.line());
                } else {
                    throw TemplateException.at(name.line(), "expected an attribute name after '.' but got "
                            + name.describe());
                }
            } else if (t.isOp("[")) {
                expr = Literals.parseSubscript(this, ts, expr);
            } else if (t.isOp("(")) {
                expr = new Expr.Call(expr, parseArguments(), t.line());
            } else {
                return expr;
            }
        }
    }

    private Expr parseFiltersAndTests(Expr expr) {
        while (true) {
            Token t = ts.peek();
            if (t.isOp("|")) {
                ts.next();
                String name = dottedName("a filter name");
                if (!Filters.exists(name)) {
                    throw TemplateException.at(t.line(), "unknown filter '" + name + "'");
                }
                Arguments args = ts.peek().isOp("(") ? parseArguments() : Arguments.NONE;
                expr = new Expr.Filter(expr, name, args, t.line());
            } else if (t.isName("is")) {
                ts.next();
                expr = parseTest(expr, t.line());
            } else if (t.isOp("(")) {
                expr = new Expr.Call(expr, parseArguments(), t.line());
            } else {
                return expr;
            }
        }
    }

    private Expr parseTest(Expr operand, int line) {
        boolean negated = ts.skipName("not");
        String name = dottedName("a test name");
        if (!Tests.exists(name)) {
            throw TemplateException.at(line, "unknown test '" + name + "'");
        }
        Token t = ts.peek();
        Arguments args = Arguments.NONE;
        if (t.isOp("(")) {
            args = parseArguments();
        } else if ((TEST_ARGUMENT_STARTS.contains(t.kind()) || t.isOp("[") || t.isOp("{"))
                && !t.isName("else") && !t.isName("or") && !t.isName("and") && !t.isName("is")) {
            args = new Arguments(List.of(parsePostfix(parsePrimary())), Map.of());
        }
        return new Expr.Test(operand, name, args, negated, line);
    }

    private String dottedName(String what) {
        StringBuilder name = new StringBuilder(ts.expectName(what));
        while (ts.peek().isOp(".") && ts.peek(1).kind() == Kind.NAME) {
            ts.next();
            name.append('.').append(ts.next().text());
        }
        return name.toString();
    }

    /** {@code (a, b, key=c)}, starting at the opening parenthesis. */
    Arguments parseArguments() {
        ts.expectOp("(");
        List<Expr> positional = new ArrayList<>();
        Map<String, Expr> keyword = new LinkedHashMap<>();
        while (!ts.peek().isOp(")")) {
            if (!positional.isEmpty() || !keyword.isEmpty()) {
                ts.expectOp(",");
                if (ts.peek().isOp(")")) {
                    break;
                }
            }
            if (ts.peek().kind() == Kind.NAME && ts.peek(1).isOp("=")) {
                String name = ts.next().text();
                ts.next();
                keyword.put(name, parseExpression());
            } else if (!keyword.isEmpty()) {
                throw ts.fail("a positional argument cannot follow a keyword argument");
            } else {
                positional.add(parseExpression());
            }
        }
        ts.expectOp(")");
        return new Arguments(positional, keyword);
    }
}
