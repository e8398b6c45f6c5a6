package io.zero4j.rewards;

import java.util.ArrayList;
import java.util.Comparator;
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
    /** A LaTeX argument: a brace group (one level of nested braces, bounded) or one digit. */
    private static final String GROUP = "\\{(?:[^{}]|\\{[^{}]{0,40}\\}){1,60}\\}";
    private static final String ARGUMENT = "(?:" + GROUP + "|\\d)";
    private static final Pattern NUMBER = Pattern.compile("(?<![\\d.])-?(?:"
            + "\\\\[dtc]?frac\\s*" + ARGUMENT + "\\s*" + ARGUMENT
            + "|\\\\sqrt\\s*(?:" + GROUP + "|\\d+)"
            + "|(?:\\d{1,3}(?:(?:,|\\u2009|\\u202f|\\\\,| )\\d{3}(?!\\d))+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)(?:/\\d+)?)"
            + "(?:\\s?(?:\\\\?%|percent\\b|pct\\b))?");

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
        List<String> all = numbers(text, budget, Integer.MAX_VALUE);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The first {@code limit} numbers in the last {@link #NUMBER_WINDOW} characters, in order. */
    static List<String> numbers(String text, Budget budget, int limit) {
        Matcher m = NUMBER.matcher(text).region(Math.max(0, text.length() - NUMBER_WINDOW), text.length())
                .useTransparentBounds(true);
        List<String> found = new ArrayList<>();
        while (found.size() < limit && m.find()) {
            budget.check();
            found.add(m.group());
        }
        return found;
    }

    /** The content of the math span that closes last (see {@link #mathSpans}). */
    static String lastMathSpan(String text, Budget budget) {
        List<String> spans = mathSpans(text, budget);
        return spans.isEmpty() ? null : spans.get(spans.size() - 1);
    }

    /**
     * The contents of the text's math spans, ordered by where they close. {@code $} and {@code $$}
     * pair from the end ({@code \$} is an escaped dollar, not a delimiter), so the final span is
     * found even after a lone currency sign; {@code \(...\)} and {@code \[...\]} pair each opener
     * with the next closer.
     */
    static List<String> mathSpans(String text, Budget budget) {
        List<int[]> spans = new ArrayList<>(); // {contentStart, contentEnd}
        int close = -1;
        boolean display = false;
        for (int i = text.length() - 1; i >= 0; i--) {
            budget.check();
            if (text.charAt(i) != '$' || (i > 0 && text.charAt(i - 1) == '\\')) {
                continue;
            }
            boolean two = i > 0 && text.charAt(i - 1) == '$' && !(i > 1 && text.charAt(i - 2) == '\\');
            int tokenStart = two ? i - 1 : i;
            if (close < 0) {
                close = tokenStart;
                display = two;
            } else if (two == display) {
                spans.add(new int[] {i + 1, close});
                close = -1;
            }
            i = tokenStart;
        }
        for (String[] pair : new String[][] {{"\\(", "\\)"}, {"\\[", "\\]"}}) {
            int from = 0;
            while (true) {
                budget.check();
                int open = text.indexOf(pair[0], from);
                int end = open < 0 ? -1 : text.indexOf(pair[1], open + 2);
                if (end < 0) {
                    break;
                }
                spans.add(new int[] {open + 2, end});
                from = end + 2;
            }
        }
        spans.sort(Comparator.comparingInt(span -> span[1]));
        List<String> contents = new ArrayList<>();
        for (int[] span : spans) {
            contents.add(text.substring(span[0], span[1]));
        }
        return contents;
    }
}
