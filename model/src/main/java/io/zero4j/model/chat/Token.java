package io.zero4j.model.chat;

/** One lexical token of a template; for {@link Kind#STRING} the text is the decoded literal. */
record Token(Kind kind, String text, int line) {
    enum Kind { TEXT, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INT, FLOAT, OP, EOF }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isName(String name) {
        return is(Kind.NAME, name);
    }

    boolean isOp(String op) {
        return is(Kind.OP, op);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of template";
            case BLOCK_END -> "'%}'";
            case VAR_END -> "'}}'";
            case STRING -> "string literal";
            case TEXT -> "template text";
            default -> "'" + text + "'";
        };
    }
}
