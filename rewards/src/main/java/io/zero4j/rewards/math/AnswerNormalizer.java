package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rewrites an answer into the plain form {@link ExpressionParser} reads: math delimiters, sizing
 * ({@code \left}, {@code \right}), spacing commands, {@code \text{}} wrappers, degree signs,
 * currency signs, unit words and thousands separators go; {@code \dfrac}, {@code \tfrac},
 * {@code \cfrac} become {@code \frac};
 * {@code \cdot}, {@code \times} become {@code *}; {@code \le}, {@code \geq} and the like become
 * {@code ≤ ≥}; a matrix's row break {@code \\} becomes {@code ;};
 * a leading {@code x =} goes. A percent mark ({@code %}, {@code \%}, the words {@code percent},
 * {@code pct}) becomes {@code %} and stays, for the comparison to write out as its options say
 * ({@link Normalized#text}); the unit words dropped are reported too.
 */
public final class AnswerNormalizer {
    /** Words that follow a number as its unit, dropped when they end an answer. */
    private static final Set<String> UNITS = Set.of("cm", "m", "km", "mm", "in", "inch", "inches", "ft", "feet", "foot",
            "yd", "yard", "yards", "mile", "miles", "meter", "meters", "metre", "metres", "centimeters", "kg", "g",
            "gram", "grams", "lb", "lbs", "pound", "pounds", "ounce", "ounces", "oz", "dollar", "dollars", "cent",
            "cents", "hour", "hours", "minute", "minutes", "second", "seconds", "day", "days", "week", "weeks",
            "month", "months", "year", "years", "degree", "degrees", "unit", "units", "sq", "square", "cubic",
            "people", "students", "apples", "times", "liters", "litres", "gallons", "mph");
    // Compiled once: normalisation runs for both sides of every comparison, and String.matches compiles per call.
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");
    private static final Pattern SIBILANT_PLURAL = Pattern.compile(".*(ch|sh|x|z|ss)es");
    private static final Pattern ASSIGNED_NAME = Pattern.compile("[A-Za-z](_\\{?[A-Za-z0-9]+\\}?)?|\\\\[a-z]+");
    private static final Pattern AT_MOST = Pattern.compile("\\\\(?:leqslant|leq|le)(?![A-Za-z])");
    private static final Pattern AT_LEAST = Pattern.compile("\\\\(?:geqslant|geq|ge)(?![A-Za-z])");
    private static final Pattern PERCENT_WORD = Pattern.compile("(?<=[\\d}])\\s*(?:percent|percentage|pct)\\b");
    private static final Pattern PERCENT_NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)%");
    private static final Pattern DECIMAL_COMMA = Pattern.compile("-?\\d+,\\d+%?");
    private static final Pattern THOUSANDS = Pattern.compile("-?[1-9]\\d{0,2}(,\\d{3})+(\\.\\d+)?%?");

    /**
     * The normalised text with its percent marks still in ({@code marked}), and the unit words dropped
     * from its end, singular and lower case ({@code ""} when none).
     */
    public record Normalized(String marked, String unit) {
        /** Whether the answer carried a percent mark. */
        public boolean percent() {
            return marked.indexOf('%') >= 0;
        }

        /**
         * The text as the parser reads it, its marks written out under {@code mode}: dropped, or under
         * {@link EquivalenceOptions.Percent#FRACTION} each marked number over 100. A mark after a brace
         * or bracket is then left in place, so the answer does not parse rather than silently losing
         * its "/100".
         */
        public String text(EquivalenceOptions.Percent mode) {
            if (!percent()) {
                return marked;
            }
            return mode == EquivalenceOptions.Percent.FRACTION ? PERCENT_NUMBER.matcher(marked).replaceAll("($1/100)")
                    : marked.replace("%", "");
        }
    }

    private AnswerNormalizer() {
    }

    public static Normalized normalize(String answer, EquivalenceOptions options, Budget budget) {
        String s = answer.strip();
        s = stripDelimiters(s);
        for (String[] r : new String[][] {
            {"\\\\", ";"}, {"\\left", ""}, {"\\right", ""}, {"\\!", ""}, {"\\,", ""}, {"\\;", ""}, {"\\:", ""}, {"\\ ", ""},
            {"\\displaystyle", ""}, {"\\dfrac", "\\frac"}, {"\\tfrac", "\\frac"}, {"\\cfrac", "\\frac"},
            {"\\cdot", "*"}, {"\\times", "*"},
            {"\\div", "/"}, {"^{\\circ}", ""}, {"^\\circ", ""}, {"\\circ", ""}, {"°", ""}, {"{,}", ""}, {"**", "^"},
            {"\\$", ""}, {"$", ""}, {"€", ""}, {"£", ""}, {"¥", ""}, {"₹", ""}, {"\\euro", ""}, {"\\pounds", ""},
            {"\u2009", ""}, {"\u202f", ""}, {"\\lbrace", "\\{"}, {"\\rbrace", "\\}"}, {"−", "-"}, {"±", "\\pm"}, {"∓", "\\mp"}}) {
            budget.check();
            s = s.replace(r[0], r[1]);
        }
        s = unwrapText(s, budget);
        if (s.contains("\\l") || s.contains("\\g")) { // the regexes only where they can match: this runs per comparison
            s = AT_LEAST.matcher(AT_MOST.matcher(s).replaceAll("≤")).replaceAll("≥").replace("\\lt", "<").replace("\\gt", ">");
        }
        if (s.contains("p")) {
            s = PERCENT_WORD.matcher(s).replaceAll("%");
        }
        s = s.replace("\\%", "%");
        StringBuilder unit = new StringBuilder();
        s = dropUnits(s.strip(), unit);
        s = dropAssignment(s);
        boolean loneComma = options.decimalComma() && DECIMAL_COMMA.matcher(s.strip()).matches(); // "1, 2" stays a list
        s = s.replace(" ", "").replace("\t", "").replace("\n", "");
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.indexOf(',') >= 0) { // before the percent mark is written out: "1,000%", "12,5%"
            if (THOUSANDS.matcher(s).matches()) {
                s = s.replace(",", "");
            } else if (loneComma) {
                s = s.replace(',', '.');
            }
        }
        return new Normalized(s, unit.toString());
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

    /** Drops trailing unit words after a number: "5 cm" -> "5", "12 square units" -> "12"; {@code unit} gets "square unit". */
    private static String dropUnits(String s, StringBuilder unit) {
        String t = s;
        while (true) {
            int space = t.lastIndexOf(' ');
            if (space < 0) {
                return t;
            }
            String word = t.substring(space + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            if (word.isEmpty() || !(UNITS.contains(word) || (word.length() >= 3 && WORD.matcher(t.substring(space + 1)).matches()
                    && Character.isDigit(t.substring(0, space).strip().isEmpty() ? 'x'
                    : t.substring(0, space).strip().charAt(t.substring(0, space).strip().length() - 1))))) {
                return t;
            }
            unit.insert(0, unit.length() == 0 ? singular(word) : singular(word) + " ");
            t = t.substring(0, space).strip();
        }
    }

    /** "meters" -> "meter", "inches" -> "inch", "boxes" -> "box", "pennies" -> "penny", "feet" -> "foot". */
    private static String singular(String word) {
        if (word.equals("feet")) {
            return "foot";
        }
        if (word.length() > 4 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (SIBILANT_PLURAL.matcher(word).matches()) {
            return word.substring(0, word.length() - 2);
        }
        return word.length() > 2 && word.endsWith("s") && !word.endsWith("ss") ? word.substring(0, word.length() - 1) : word;
    }

    /** "x = 5" -> "5": a single name (letters, optional subscript) and an equals sign. */
    private static String dropAssignment(String s) {
        int eq = s.indexOf('=');
        if (eq <= 0 || s.indexOf('=', eq + 1) >= 0) {
            return s;
        }
        String lhs = s.substring(0, eq).strip();
        return ASSIGNED_NAME.matcher(lhs).matches() ? s.substring(eq + 1).strip() : s;
    }
}
