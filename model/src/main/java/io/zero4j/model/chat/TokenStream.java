package io.zero4j.model.chat;

import io.zero4j.model.chat.Token.Kind;
import java.util.List;

/** A cursor over the lexer's tokens, with the expect-or-fail helpers the parsers share. */
final class TokenStream {
    private final List<Token> tokens;
    private int index;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = peek();
        if (index < tokens.size() - 1) {
            index++;
        }
        return t;
    }

    boolean skipOp(String op) {
        if (peek().isOp(op)) {
            next();
            return true;
        }
        return false;
    }

    boolean skipName(String name) {
        if (peek().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    Token expectOp(String op) {
        if (!peek().isOp(op)) {
            throw fail("expected '" + op + "' but got " + peek().describe());
        }
        return next();
    }

    String expectName(String what) {
        if (peek().kind() != Kind.NAME) {
            throw fail("expected " + what + " but got " + peek().describe());
        }
        return next().text();
    }

    Token expect(Kind kind, String what) {
        if (peek().kind() != kind) {
            throw fail("expected " + what + " but got " + peek().describe());
        }
        return next();
    }

    /** Whether the next token closes the current tag. */
    boolean atTagEnd() {
        Kind k = peek().kind();
        return k == Kind.BLOCK_END || k == Kind.VAR_END || k == Kind.EOF;
    }

    TemplateException fail(String message) {
        return TemplateException.at(peek().line(), message);
    }
}
