package io.zero4j.model.chat;

import io.zero4j.model.chat.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the token stream into statements: text, {@code {{ }}} outputs and the block tags if,
 * for, set, macro, filter, generation, break and continue.
 */
final class TemplateParser {
    private final TokenStream ts;
    private final ExpressionParser expressions;
    private int loopDepth;
    private String expecting = "";

    private TemplateParser(List<Token> tokens) {
        this.ts = new TokenStream(tokens);
        this.expressions = new ExpressionParser(ts);
    }

    static List<Node> parse(List<Token> tokens) {
        TemplateParser parser = new TemplateParser(tokens);
        return parser.parseBody(List.of(), "", 0);
    }

    /**
     * Nodes up to a block tag named in {@code ends} (left as the next token, its {@code {%}
     * consumed), or to the end of the template when {@code ends} is empty.
     */
    private List<Node> parseBody(List<String> ends, String opener, int openLine) {
        String outer = expecting;
        if (!ends.isEmpty()) {
            expecting = "; expected " + quoted(ends) + " to close the '" + opener + "' on line " + openLine;
        }
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = ts.peek();
            if (t.kind() == Kind.TEXT) {
                nodes.add(new Node.Text(ts.next().text()));
            } else if (t.kind() == Kind.VAR_BEGIN) {
                ts.next();
                nodes.add(new Node.Output(expressions.parseTuple()));
                ts.expect(Kind.VAR_END, "'}}'");
            } else if (t.kind() == Kind.BLOCK_BEGIN) {
                ts.next();
                if (ts.peek().kind() == Kind.NAME && ends.contains(ts.peek().text())) {
                    expecting = outer;
                    return nodes;
                }
                nodes.add(parseStatement());
            } else if (ends.isEmpty()) {
                return nodes;
            } else {
                throw TemplateException.at(t.line(), "unexpected end of template" + expecting);
            }
        }
    }

    private Node parseStatement() {
        Token tag = ts.peek();
        String name = ts.expectName("a tag name after '{%'");
        switch (name) {
            case "if":
                return parseIf(tag.line());
            case "for":
                return parseFor(tag.line());
            case "set":
                return parseSet(tag.line());
            case "macro":
                return parseMacro(tag.line());
            case "filter":
                return parseFilterBlock(tag.line());
            case "generation":
                endTag();
                return new Node.Sequence(block("endgeneration", "generation", tag.line()));
            case "break", "continue":
                if (loopDepth == 0) {
                    throw TemplateException.at(tag.line(), "'" + name + "' outside a for loop");
                }
                endTag();
                return name.equals("break") ? new Node.Break() : new Node.Continue();
            default:
                boolean closer = name.startsWith("end") || name.equals("elif") || name.equals("else");
                throw TemplateException.at(tag.line(), (closer ? "unexpected '" : "unknown tag '") + name + "'"
                        + expecting);
        }
    }

    private Node parseIf(int line) {
        List<Expr> conditions = new ArrayList<>(List.of(expressions.parseTuple()));
        List<List<Node>> bodies = new ArrayList<>();
        endTag();
        while (true) {
            bodies.add(parseBody(List.of("elif", "else", "endif"), "if", line));
            String closer = ts.next().text();
            if (closer.equals("elif")) {
                conditions.add(expressions.parseTuple());
                endTag();
            } else {
                endTag();
                List<Node> otherwise = closer.equals("else") ? block("endif", "if", line) : List.of();
                return new Node.If(conditions, bodies, otherwise);
            }
        }
    }

    private Node parseFor(int line) {
        List<String> targets = new ArrayList<>();
        boolean parenthesized = ts.skipOp("(");
        do {
            targets.add(ts.expectName("a loop variable name"));
        } while (ts.skipOp(","));
        if (parenthesized) {
            ts.expectOp(")");
        }
        if (!ts.skipName("in")) {
            throw ts.fail("expected 'in' after the loop variables but got " + ts.peek().describe());
        }
        Expr iterable = expressions.parseOr();
        Expr filter = ts.skipName("if") ? expressions.parseExpression() : null;
        if (ts.peek().isName("recursive")) {
            throw ts.fail("recursive for loops are not supported");
        }
        endTag();
        loopDepth++;
        List<Node> body = parseBody(List.of("else", "endfor"), "for", line);
        loopDepth--;
        boolean hasElse = ts.next().text().equals("else");
        endTag();
        List<Node> otherwise = hasElse ? block("endfor", "for", line) : List.of();
        return new Node.For(targets, iterable, filter, body, otherwise, line);
    }

    private Node parseSet(int line) {
        List<String> names = new ArrayList<>(List.of(ts.expectName("a variable name after 'set'")));
        String attribute = null;
        if (ts.skipOp(".")) {
            attribute = ts.expectName("an attribute name");
        } else {
            while (ts.skipOp(",")) {
                names.add(ts.expectName("a variable name"));
            }
        }
        if (ts.skipOp("=")) {
            Expr value = expressions.parseTuple();
            endTag();
            return new Node.Set(names, attribute, value, line);
        }
        if (names.size() == 1 && attribute == null && ts.peek().kind() == Kind.BLOCK_END) {
            endTag();
            return new Node.BlockSet(names.get(0), block("endset", "set", line));
        }
        throw ts.fail("expected '=' in the set tag but got " + ts.peek().describe());
    }

    private Node parseMacro(int line) {
        String name = ts.expectName("a macro name");
        ts.expectOp("(");
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        while (!ts.peek().isOp(")")) {
            if (!params.isEmpty()) {
                ts.expectOp(",");
            }
            params.add(ts.expectName("a parameter name"));
            defaults.add(ts.skipOp("=") ? expressions.parseExpression() : null);
        }
        ts.expectOp(")");
        endTag();
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<Node> body = block("endmacro", "macro", line);
        loopDepth = outerLoops;
        return new Node.Macro(name, params, defaults, body, line);
    }

    private Node parseFilterBlock(int line) {
        String filter = ts.expectName("a filter name");
        if (!Filters.exists(filter)) {
            throw TemplateException.at(line, "unknown filter '" + filter + "'");
        }
        Expr.Arguments args = ts.peek().isOp("(") ? expressions.parseArguments() : Expr.Arguments.NONE;
        endTag();
        return new Node.FilterBlock(filter, args, block("endfilter", "filter", line), line);
    }

    /** A body closed by {@code end}, consuming the closing tag. */
    private List<Node> block(String end, String opener, int line) {
        List<Node> body = parseBody(List.of(end), opener, line);
        ts.next();
        endTag();
        return body;
    }

    private void endTag() {
        ts.expect(Kind.BLOCK_END, "'%}'");
    }

    private static String quoted(List<String> names) {
        List<String> q = names.stream().map(n -> "'" + n + "'").toList();
        return q.size() == 1 ? q.get(0) : String.join(", ", q.subList(0, q.size() - 1)) + " or " + q.get(q.size() - 1);
    }
}
