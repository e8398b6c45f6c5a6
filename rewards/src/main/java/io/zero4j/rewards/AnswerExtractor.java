package io.zero4j.rewards;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named ways to pull the final answer out of a completion; a config lists them in the order to try.
 * Each returns null when it finds nothing (an empty answer counts as nothing). All scans are linear
 * and check the budget.
 */
public enum AnswerExtractor {
    /** The content of the last {@code <answer>...</answer>}. */
    ANSWER_TAG,
    /** The content of the last {@code \boxed{...}} or {@code \fbox{...}}, nested braces balanced. */
    BOXED,
    /** GSM8K's {@code #### N}: the rest of that line. */
    GSM8K,
    /** The text after the last "the answer is" (any case), up to the end of its sentence or line. */
    ANSWER_IS,
    /** The content of the last LaTeX math span: {@code $...$}, {@code $$...$$}, {@code \(...\)} or {@code \[...\]}. */
    LATEX_MATH,
    /**
     * The last number in the text: a sign, digits with thousands separators (comma, space, thin
     * space, {@code \,}), decimals (also {@code .4}), {@code a/b}, or a LaTeX {@code \frac}
     * (any of its variants, {@code \frac13} too) or {@code \sqrt}; with a percent mark after it
     * ({@code %}, {@code \%}, {@code percent}, {@code pct}) kept. Only the last
     * {@link #NUMBER_WINDOW} characters are searched.
     */
    LAST_NUMBER;

    /** How far back from the end {@link #LAST_NUMBER} looks. */
    static final int NUMBER_WINDOW = 4096;
    private static final String ARGUMENT = "(?:\\{[^{}]{1,40}\\}|\\d)";
    private static final Pattern NUMBER = Pattern.compile("(?<![\\d.])-?(?:"
            + "\\\\[dtc]?frac\\s*" + ARGUMENT + "\\s*" + ARGUMENT
            + "|\\\\sqrt\\s*(?:\\{[^{}]{1,40}\\}|\\d+)"
            + "|(?:\\d{1,3}(?:(?:,|\\u2009|\\u202f|\\\\,| )\\d{3}(?!\\d))+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)(?:/\\d+)?)"
            + "(?:\\s?(?:\\\\?%|percent\\b|pct\\b))?");

    /** The first non-null answer along the chain. */
    public static String firstOf(List<AnswerExtractor> chain, String text, Budget budget) {
        for (AnswerExtractor e : chain) {
            String a = e.extract(text, budget);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    public String extract(String text, Budget budget) {
        String found = switch (this) {
            case ANSWER_TAG -> lastTagContent(text, "<answer>", "</answer>");
            case BOXED -> lastBoxed(text, budget);
            case GSM8K -> afterMarker(text, "####");
            case ANSWER_IS -> answerIs(text);
            case LATEX_MATH -> lastMathSpan(text, budget);
            case LAST_NUMBER -> lastNumber(text, budget);
        };
        return found == null || found.isBlank() ? null : found.strip();
    }

    static String lastTagContent(String text, String open, String close) {
        int end = text.lastIndexOf(close);
        if (end < 0) {
            return null;
        }
        int start = text.lastIndexOf(open, end);
        return start < 0 ? null : text.substring(start + open.length(), end);
    }

    /** The argument of the last {@code \boxed} / {@code \fbox}: {@code {...}} balanced, or {@code \boxed 5}. */
    static String lastBoxed(String text, Budget budget) {
        int at = Math.max(text.lastIndexOf("\\boxed"), text.lastIndexOf("\\fbox"));
        if (at < 0) {
            return null;
        }
        int i = at + (text.startsWith("\\boxed", at) ? 6 : 5);
        if (i < text.length() && text.charAt(i) == ' ') {
            int end = i + 1;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
                end++;
            }
            return text.substring(i + 1, end);
        }
        if (i >= text.length() || text.charAt(i) != '{') {
            return null;
        }
        int depth = 0;
        for (int j = i; j < text.length(); j++) {
            budget.check();
            char c = text.charAt(j);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(i + 1, j);
            }
        }
        return null; // unbalanced
    }

    static String afterMarker(String text, String marker) {
        int at = text.lastIndexOf(marker);
        if (at < 0) {
            return null;
        }
        int end = text.indexOf('\n', at);
        return text.substring(at + marker.length(), end < 0 ? text.length() : end);
    }

    static String answerIs(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf("the answer is");
        if (at < 0) {
            return null;
        }
        int start = at + "the answer is".length();
        if (start < text.length() && text.charAt(start) == ':') {
            start++;
        }
        int end = text.indexOf('\n', start);
        end = end < 0 ? text.length() : end;
        String rest = text.substring(start, end).strip();
        // A sentence ends at ". " or a final "."; a decimal point is followed by a digit.
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '.' && (i + 1 == rest.length() || rest.charAt(i + 1) == ' ')) {
                return rest.substring(0, i);
            }
        }
        return rest;
    }

    /**
     * The last number (see {@link #LAST_NUMBER}): of the matches in the last {@link #NUMBER_WINDOW}
     * characters, the one that ends last. One regex search cannot check the budget, so it never
     * runs over more than that window.
     */
    static String lastNumber(String text, Budget budget) {
        Matcher m = NUMBER.matcher(text).region(Math.max(0, text.length() - NUMBER_WINDOW), text.length())
                .useTransparentBounds(true);
        String last = null;
        while (m.find()) {
            budget.check();
            last = m.group();
        }
        return last;
    }

    /**
     * The content of the math span that closes last. {@code $} and {@code $$} pair up from the
     * start ({@code \$} is an escaped dollar, not a delimiter), so a lone currency sign opens
     * nothing; {@code \(...\)} and {@code \[...\]} pair with the nearest opener before them.
     */
    static String lastMathSpan(String text, Budget budget) {
        int bestEnd = -1;
        String best = null;
        int open = -1;
        boolean display = false;
        for (int i = 0; i < text.length(); i++) {
            budget.check();
            char c = text.charAt(i);
            if (c == '\\') {
                i++; // an escaped character, \$ included
                continue;
            }
            if (c != '$') {
                continue;
            }
            boolean two = i + 1 < text.length() && text.charAt(i + 1) == '$';
            if (open < 0) {
                open = i + (two ? 2 : 1);
                display = two;
            } else if (two == display) {
                bestEnd = i;
                best = text.substring(open, i);
                open = -1;
            }
            i += two ? 1 : 0;
        }
        for (String[] pair : new String[][] {{"\\(", "\\)"}, {"\\[", "\\]"}}) {
            int end = text.lastIndexOf(pair[1]);
            int start = end < 0 ? -1 : text.lastIndexOf(pair[0], end);
            if (start >= 0 && end > bestEnd) {
                bestEnd = end;
                best = text.substring(start + 2, end);
            }
        }
        return best;
    }
}
