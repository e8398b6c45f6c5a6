package io.zero4j.model.chat;

/** Backslash escapes of Python string literals: decoding template literals and {@code repr()} quoting. */
final class StringEscapes {
    private StringEscapes() {
    }

    /**
     * Decodes the escape whose character (after the backslash) is at {@code at}, appending it to
     * {@code out}; returns the index after it. Unknown escapes stay as written, as in Python.
     */
    static int decode(String src, int at, StringBuilder out, int line) {
        char e = src.charAt(at);
        switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'v' -> out.append('\u000B');
            case 'a' -> out.append('\u0007');
            case '\\', '\'', '"' -> out.append(e);
            case '\n' -> { }
            case 'x' -> {
                return hex(src, at + 1, 2, out, line);
            }
            case 'u' -> {
                return hex(src, at + 1, 4, out, line);
            }
            case 'U' -> {
                return hex(src, at + 1, 8, out, line);
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    return octal(src, at, out);
                }
                out.append('\\');
                return at;
            }
        }
        return at + 1;
    }

    private static int hex(String src, int start, int digits, StringBuilder out, int line) {
        if (start + digits > src.length()) {
            throw TemplateException.at(line, "truncated \\x, \\u or \\U escape in a string literal");
        }
        try {
            out.appendCodePoint(Integer.parseInt(src.substring(start, start + digits), 16));
        } catch (IllegalArgumentException e) {
            throw TemplateException.at(line, "invalid escape '" + src.substring(start - 2, start + digits) + "'");
        }
        return start + digits;
    }

    private static int octal(String src, int start, StringBuilder out) {
        int end = start;
        while (end < src.length() && end < start + 3 && src.charAt(end) >= '0' && src.charAt(end) <= '7') {
            end++;
        }
        out.append((char) Integer.parseInt(src.substring(start, end), 8));
        return end;
    }

    /** Python's {@code repr()} of a string: single quotes unless the text holds one and no double quote. */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (cp == quote) {
                        out.append('\\').append(quote);
                    } else if (cp < 0x20 || cp == 0x7f) {
                        out.append(String.format("\\x%02x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append(quote).toString();
    }
}
