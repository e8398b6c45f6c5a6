package io.zero4j.model.chat;

import io.zero4j.model.chat.Token.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a template into text and tag tokens the way Jinja2 does with {@code trim_blocks} and
 * {@code lstrip_blocks} on (as Hugging Face transformers configures it): a block or comment tag
 * swallows the first newline after it and the spaces before it on its line; {@code {%-}/{@code -%}}
 * strip all whitespace on that side; {@code {%+}/{@code +%}} turn the two options off for one tag.
 * Newlines are normalised to {@code \n} and a single trailing newline is dropped.
 */
final class TemplateLexer {
    private static final String[] OPERATORS = {"**", "//", "==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "~",
        "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};

    private final String src;
    private final int[] lineStarts;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private TemplateLexer(String source) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        this.src = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        this.lineStarts = lineStarts(src);
    }

    static List<Token> tokenize(String source) {
        return new TemplateLexer(source).run();
    }

    private List<Token> run() {
        while (true) {
            int tag = nextTag(pos);
            String text = src.substring(pos, tag < 0 ? src.length() : tag);
            if (tag >= 0) {
                text = stripBeforeTag(text, tag);
            }
            if (!text.isEmpty()) {
                tokens.add(new Token(Kind.TEXT, text, lineAt(pos)));
            }
            if (tag < 0) {
                break;
            }
            pos = tag;
            lexTag();
        }
        tokens.add(new Token(Kind.EOF, "", lineAt(src.length())));
        return tokens;
    }

    private int nextTag(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** The text before a tag after {@code {%-} or lstrip_blocks have taken their share. */
    private String stripBeforeTag(String text, int tag) {
        char opener = src.charAt(tag + 1);
        char modifier = tag + 2 < src.length() ? src.charAt(tag + 2) : 0;
        if (modifier == '-') {
            return Strings.rstrip(text, null);
        }
        if (opener == '{' || modifier == '+') {
            return text;
        }
        int keep = text.length();
        while (keep > 0 && text.charAt(keep - 1) != '\n' && Strings.isSpace(text.charAt(keep - 1))) {
            keep--;
        }
        boolean atLineStart = keep > 0 ? text.charAt(keep - 1) == '\n' : pos == 0 || src.charAt(pos - 1) == '\n';
        return atLineStart ? text.substring(0, keep) : text;
    }

    private void lexTag() {
        int line = lineAt(pos);
        char opener = src.charAt(pos + 1);
        pos += 2;
        if (pos < src.length() && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
            pos++;
        }
        if (opener == '#') {
            lexComment(line);
            return;
        }
        boolean block = opener == '%';
        tokens.add(new Token(block ? Kind.BLOCK_BEGIN : Kind.VAR_BEGIN, block ? "{%" : "{{", line));
        lexUntilClose(block, line);
    }

    private void lexComment(int line) {
        int end = src.indexOf("#}", pos);
        if (end < 0) {
            throw TemplateException.at(line, "unclosed comment: expected '#}'");
        }
        char before = end > pos ? src.charAt(end - 1) : 0;
        pos = end + 2;
        afterTag(before == '-', before == '+', true);
    }

    private void afterTag(boolean stripAll, boolean keepNewline, boolean trimmable) {
        if (stripAll) {
            while (pos < src.length() && Strings.isSpace(src.charAt(pos))) {
                pos++;
            }
        } else if (trimmable && !keepNewline && pos < src.length() && src.charAt(pos) == '\n') {
            pos++;
        }
    }

    private void lexUntilClose(boolean block, int line) {
        int depth = 0;
        while (true) {
            while (pos < src.length() && Strings.isSpace(src.charAt(pos))) {
                pos++;
            }
            if (pos >= src.length()) {
                throw TemplateException.at(line, "unclosed tag: expected '" + (block ? "%}" : "}}") + "'");
            }
            if (depth == 0 && closeTag(block)) {
                return;
            }
            char c = src.charAt(pos);
            if (c == '\'' || c == '"') {
                lexString(lineAt(pos));
            } else if (c >= '0' && c <= '9') {
                lexNumber();
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NAME, src.substring(start, pos), lineAt(start)));
            } else {
                depth = Math.max(0, depth + lexOperator());
            }
        }
    }

    private boolean closeTag(boolean block) {
        String close = block ? "%}" : "}}";
        Kind kind = block ? Kind.BLOCK_END : Kind.VAR_END;
        int line = lineAt(pos);
        if (src.startsWith("-" + close, pos) || block && src.startsWith("+" + close, pos)) {
            boolean strip = src.charAt(pos) == '-';
            tokens.add(new Token(kind, close, line));
            pos += 3;
            afterTag(strip, !strip, block);
            return true;
        }
        if (src.startsWith(close, pos)) {
            tokens.add(new Token(kind, close, line));
            pos += 2;
            afterTag(false, false, block);
            return true;
        }
        return false;
    }

    /** Lexes one operator; returns +1 for an opening bracket, -1 for a closing one, else 0. */
    private int lexOperator() {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                tokens.add(new Token(Kind.OP, op, lineAt(pos)));
                pos += op.length();
                return "([{".contains(op) ? 1 : ")]}".contains(op) ? -1 : 0;
            }
        }
        throw TemplateException.at(lineAt(pos), "unexpected character '" + src.charAt(pos) + "'");
    }

    private void lexNumber() {
        int start = pos;
        skipDigits();
        boolean isFloat = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))
                && !(start > 0 && src.charAt(start - 1) == '.')) {
            pos++;
            skipDigits();
            isFloat = true;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                skipDigits();
                isFloat = true;
            } else {
                pos = mark;
            }
        }
        String text = src.substring(start, pos).replace("_", "");
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INT, text, lineAt(start)));
    }

    private void skipDigits() {
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
    }

    private void lexString(int line) {
        char quote = src.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw TemplateException.at(line, "unclosed string literal");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c == '\\' && pos < src.length()) {
                pos = StringEscapes.decode(src, pos, value, line);
            } else {
                value.append(c);
            }
        }
        tokens.add(new Token(Kind.STRING, value.toString(), line));
    }

    private int lineAt(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private static int[] lineStarts(String s) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) {
            starts.add(i + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
