package io.zero4j.model.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Python's {@code str} methods with Python's rules (whitespace, title case, split), for templates. */
final class Strings {
    private Strings() {
    }

    /** Python's {@code str.isspace()} for one character. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    static String strip(String s, String chars) {
        return lstrip(rstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && stripped(s.charAt(start), chars)) {
            start++;
        }
        return s.substring(start);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && stripped(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    /** {@code s.split(sep, maxsplit)}; a null separator splits on runs of whitespace. */
    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    return parts;
                }
                if (maxsplit >= 0 && parts.size() == maxsplit) {
                    parts.add(s.substring(i));
                    return parts;
                }
                int j = i;
                while (j < s.length() && !isSpace(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(i, j));
                i = j;
            }
        }
        requireSeparator(sep);
        int i = 0;
        for (int j = s.indexOf(sep); j >= 0 && (maxsplit < 0 || parts.size() < maxsplit); j = s.indexOf(sep, i)) {
            parts.add(s.substring(i, j));
            i = j + sep.length();
        }
        parts.add(s.substring(i));
        return parts;
    }

    /** {@code s.rsplit(sep, maxsplit)}: like split, counting the splits from the right. */
    static List<Object> rsplit(String s, String sep, long maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, maxsplit);
        }
        List<Object> parts = new ArrayList<>();
        int j = s.length();
        if (sep == null) {
            while (true) {
                while (j > 0 && isSpace(s.charAt(j - 1))) {
                    j--;
                }
                if (j == 0) {
                    break;
                }
                if (parts.size() == maxsplit) {
                    parts.add(s.substring(0, j));
                    break;
                }
                int i = j;
                while (i > 0 && !isSpace(s.charAt(i - 1))) {
                    i--;
                }
                parts.add(s.substring(i, j));
                j = i;
            }
        } else {
            requireSeparator(sep);
            for (int i = s.lastIndexOf(sep, j - sep.length()); i >= 0 && parts.size() < maxsplit;
                    i = s.lastIndexOf(sep, j - sep.length())) {
                parts.add(s.substring(i + sep.length(), j));
                j = i;
            }
            parts.add(s.substring(0, j));
        }
        Collections.reverse(parts);
        return parts;
    }

    private static void requireSeparator(String sep) {
        if (sep.isEmpty()) {
            throw new TemplateException("empty separator");
        }
    }

    /** Python's {@code str.title()}: a cased letter after an uncased character starts a word. */
    static String pythonTitle(String s) {
        StringBuilder out = new StringBuilder();
        boolean previousCased = false;
        for (int cp : s.codePoints().toArray()) {
            boolean cased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
            out.appendCodePoint(!cased ? cp : previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
            previousCased = cased;
        }
        return out.toString();
    }

    /** Jinja2's {@code title} filter: words begin after '-', whitespace or an opening bracket. */
    static String jinjaTitle(String s) {
        StringBuilder out = new StringBuilder();
        int previousKind = -1;
        for (int cp : s.codePoints().toArray()) {
            int kind = isSpace(cp) || "-({[<".indexOf(cp) >= 0 ? 0 : 1;
            out.appendCodePoint(kind != previousKind ? Character.toUpperCase(cp) : Character.toLowerCase(cp));
            previousKind = kind;
        }
        return out.toString();
    }

    /** Python's {@code str.capitalize()}: first character in title case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(lower(s.substring(Character.charCount(first)))).toString();
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** {@code s.replace(old, replacement, count)}; a negative count replaces every occurrence. */
    static String replace(String s, String old, String replacement, long count) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        long done = 0;
        if (old.isEmpty()) {
            for (int cp : s.codePoints().toArray()) {
                out.append(count < 0 || done++ < count ? replacement : "").appendCodePoint(cp);
            }
            return out.append(count < 0 || done < count ? replacement : "").toString();
        }
        for (int j = s.indexOf(old); j >= 0 && (count < 0 || done < count); j = s.indexOf(old, i)) {
            out.append(s, i, j).append(replacement);
            i = j + old.length();
            done++;
        }
        return out.append(s.substring(i)).toString();
    }

    /** Python's {@code str.splitlines()} without the line ends. */
    static List<String> splitlines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\n\r\u000B\f\u001C\u001D\u001E\u0085\u2028\u2029".indexOf(c) >= 0) {
                lines.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /** HTML escaping as markupsafe does it. */
    static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;")
                .replace("'", "&#39;");
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
