package io.zero4j.rewards;

import java.util.List;
import java.util.Locale;

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
    /** The last number in the text (signs, thousands separators, decimals, a/b). */
    LAST_NUMBER;

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

    /** The last number: optional sign, digits with optional thousands commas, decimals, or a/b. */
    static String lastNumber(String text, Budget budget) {
        int end = text.length();
        while (end > 0) {
            budget.check();
            end--;
            if (Character.isDigit(text.charAt(end))) {
                break;
            }
            if (end == 0) {
                return null;
            }
        }
        if (end == 0 && !Character.isDigit(text.charAt(0))) {
            return null;
        }
        int start = end;
        while (start > 0) {
            budget.check();
            char c = text.charAt(start - 1);
            boolean joins = Character.isDigit(c)
                    || ((c == '.' || c == ',' || c == '/') && start - 2 >= 0 && Character.isDigit(text.charAt(start - 2)));
            if (!joins) {
                break;
            }
            start--;
        }
        if (start > 0 && text.charAt(start - 1) == '-') {
            start--;
        }
        return text.substring(start, end + 1);
    }
}
