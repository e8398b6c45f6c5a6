package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.List;

/** The bracketed parts of expressions: parentheses and tuples, list and dict literals, subscripts and slices. */
final class Literals {
    private Literals() {
    }

    /** A primary starting with {@code (}, {@code [} or {@code {}; {@code open} is already consumed. */
    static Expr parseBracketed(ExpressionParser parser, TokenStream ts, Token open) {
        if (open.isOp("(")) {
            return parseParenthesized(parser, ts, open.line());
        }
        if (open.isOp("[")) {
            List<Expr> items = new ArrayList<>();
            while (!ts.peek().isOp("]")) {
                if (!items.isEmpty()) {
                    ts.expectOp(",");
                    if (ts.peek().isOp("]")) {
                        break;
                    }
                }
                items.add(parser.parseExpression());
            }
            ts.expectOp("]");
            return new Expr.ListLiteral(items, open.line());
        }
        if (open.isOp("{")) {
            return parseDict(parser, ts, open.line());
        }
        throw TemplateException.at(open.line(), "expected an expression but got " + open.describe());
    }

    private static Expr parseParenthesized(ExpressionParser parser, TokenStream ts, int line) {
        if (ts.skipOp(")")) {
            return new Expr.TupleLiteral(List.of(), line);
        }
        Expr first = parser.parseExpression();
        if (ts.skipOp(")")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (ts.skipOp(",") && !ts.peek().isOp(")")) {
            items.add(parser.parseExpression());
        }
        ts.expectOp(")");
        return new Expr.TupleLiteral(items, line);
    }

    private static Expr parseDict(ExpressionParser parser, TokenStream ts, int line) {
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!ts.peek().isOp("}")) {
            if (!keys.isEmpty()) {
                ts.expectOp(",");
                if (ts.peek().isOp("}")) {
                    break;
                }
            }
            keys.add(parser.parseExpression());
            ts.expectOp(":");
            values.add(parser.parseExpression());
        }
        ts.expectOp("}");
        return new Expr.DictLiteral(keys, values, line);
    }

    /** {@code [key]} or {@code [start:stop:step]} after {@code object}, starting at the bracket. */
    static Expr parseSubscript(ExpressionParser parser, TokenStream ts, Expr object) {
        int line = ts.expectOp("[").line();
        Expr start = ts.peek().isOp(":") ? null : parser.parseExpression();
        if (ts.skipOp("]")) {
            return new Expr.Item(object, start, line);
        }
        ts.expectOp(":");
        Expr stop = ts.peek().isOp(":") || ts.peek().isOp("]") ? null : parser.parseExpression();
        Expr step = null;
        if (ts.skipOp(":") && !ts.peek().isOp("]")) {
            step = parser.parseExpression();
        }
        ts.expectOp("]");
        return new Expr.Slice(object, start, stop, step, line);
    }
}
