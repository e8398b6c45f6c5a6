package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import java.util.Locale;
import java.util.Set;

/**
 * Rewrites an answer into the plain form {@link ExpressionParser} reads: math delimiters, sizing
 * ({@code \left}, {@code \right}), spacing commands, {@code \text{}} wrappers, degree signs,
 * currency signs, unit words and thousands separators go; {@code \dfrac}, {@code \tfrac},
 * {@code \cfrac} become {@code \frac};
 * {@code \cdot}, {@code \times} become {@code *}; a leading {@code x =} goes. Percent signs are
 * reported, not dropped silently.
 */
public final class AnswerNormalizer {
    /** Words that follow a number as its unit, dropped when they end an answer. */
    private static final Set<String> UNITS = Set.of("cm", "m", "km", "mm", "in", "inch", "inches", "ft", "feet", "foot",
            "yd", "yard", "yards", "mile", "miles", "meter", "meters", "metre", "metres", "centimeters", "kg", "g",
            "gram", "grams", "lb", "lbs", "pound", "pounds", "ounce", "ounces", "oz", "dollar", "dollars", "cent",
            "cents", "hour", "hours", "minute", "minutes", "second", "seconds", "day", "days", "week", "weeks",
            "month", "months", "year", "years", "degree", "degrees", "unit", "units", "sq", "square", "cubic",
            "people", "students", "apples", "times", "percent", "liters", "litres", "gallons", "mph", "square units");

    /** The normalised text and whether it carried a percent sign. */
    public record Normalized(String text, boolean percent) {
    }

    private AnswerNormalizer() {
    }

    public static Normalized normalize(String answer, Budget budget) {
        String s = answer.strip();
        s = stripDelimiters(s);
        for (String[] r : new String[][] {
            {"\\left", ""}, {"\\right", ""}, {"\\!", ""}, {"\\,", ""}, {"\\;", ""}, {"\\:", ""}, {"\\ ", ""},
            {"\\displaystyle", ""}, {"\\dfrac", "\\frac"}, {"\\tfrac", "\\frac"}, {"\\cfrac", "\\frac"},
            {"\\cdot", "*"}, {"\\times", "*"},
            {"\\div", "/"}, {"^{\\circ}", ""}, {"^\\circ", ""}, {"\\circ", ""}, {"°", ""}, {"{,}", ""}, {"**", "^"},
            {"\\$", ""}, {"$", ""}, {"€", ""}, {"£", ""}, {"¥", ""}, {"₹", ""}, {"\\euro", ""}, {"\\pounds", ""},
            {"\u2009", ""}, {"\u202f", ""}, {"\\lbrace", "\\{"}, {"\\rbrace", "\\}"}, {"−", "-"}}) {
            budget.check();
            s = s.replace(r[0], r[1]);
        }
        s = unwrapText(s, budget);
        boolean percent = s.contains("%");
        s = s.replace("\\%", "").replace("%", "");
        s = dropUnits(s.strip());
        s = dropAssignment(s);
        s = s.replace(" ", "").replace("\t", "").replace("\n", "");
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (isPlainNumberWithThousands(s)) {
            s = s.replace(",", "");
        }
        return new Normalized(s, percent);
    }

    private static String stripDelimiters(String s) {
        for (String[] d : new String[][] {{"\\(", "\\)"}, {"\\[", "\\]"}, {"$$", "$$"}, {"$", "$"}}) {
            if (s.length() >= d[0].length() + d[1].length() && s.startsWith(d[0]) && s.endsWith(d[1])) {
                return s.substring(d[0].length(), s.length() - d[1].length()).strip();
            }
        }
        return s;
    }

    /** {@code \text{abc}}, {@code \textbf{}}, {@code \mathrm{}}, {@code \mbox{}}: keep the content. */
    private static String unwrapText(String s, Budget budget) {
        for (String cmd : new String[] {"\\text", "\\textbf", "\\mathrm", "\\mbox", "\\textrm", "\\mathbf"}) {
            int at;
            while ((at = s.indexOf(cmd + "{")) >= 0) {
                budget.check();
                int open = at + cmd.length();
                int depth = 0;
                int close = -1;
                for (int i = open; i < s.length(); i++) {
                    budget.check();
                    if (s.charAt(i) == '{') {
                        depth++;
                    } else if (s.charAt(i) == '}' && --depth == 0) {
                        close = i;
                        break;
                    }
                }
                if (close < 0) {
                    return s;
                }
                s = s.substring(0, at) + " " + s.substring(open + 1, close) + " " + s.substring(close + 1);
            }
        }
        return s;
    }

    /** Drops trailing unit words after a number: "5 cm" -> "5", "12 square units" -> "12". */
    private static String dropUnits(String s) {
        String t = s;
        while (true) {
            int space = t.lastIndexOf(' ');
            if (space < 0) {
                return t;
            }
            String word = t.substring(space + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            if (word.isEmpty() || !(UNITS.contains(word) || (word.length() >= 3 && t.substring(space + 1).matches("[A-Za-z]+")
                    && Character.isDigit(t.substring(0, space).strip().isEmpty() ? 'x'
                    : t.substring(0, space).strip().charAt(t.substring(0, space).strip().length() - 1))))) {
                return t;
            }
            t = t.substring(0, space).strip();
        }
    }

    /** "x = 5" -> "5": a single name (letters, optional subscript) and an equals sign. */
    private static String dropAssignment(String s) {
        int eq = s.indexOf('=');
        if (eq <= 0 || s.indexOf('=', eq + 1) >= 0) {
            return s;
        }
        String lhs = s.substring(0, eq).strip();
        return lhs.matches("[A-Za-z](_\\{?[A-Za-z0-9]+\\}?)?|\\\\[a-z]+") ? s.substring(eq + 1).strip() : s;
    }

    private static boolean isPlainNumberWithThousands(String s) {
        return s.matches("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
    }
}
