package io.zero4j.rewards.math;

import io.zero4j.rewards.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LaTeX matrix ({@code pmatrix}, {@code bmatrix}, {@code Bmatrix}, {@code matrix},
 * {@code smallmatrix}, or {@code array} with its column spec) as rows of entry texts; the bracket
 * style does not matter, as in Math-Verify. Rows end at {@code \\} (which the
 * normaliser writes as {@code ;}), entries at {@code &}.
 */
final class Matrices {
    private static final Pattern MATRIX = Pattern.compile(
            "\\\\begin\\{(pmatrix|bmatrix|Bmatrix|matrix|smallmatrix|array)\\}(?:\\{[lcr|]*\\})?(.*)\\\\end\\{\\1\\}");

    private Matrices() {
    }

    /** The entries by row, or null when {@code normalized} is not one matrix with rows of equal length. */
    static List<List<String>> of(String normalized, Budget budget) {
        if (!normalized.startsWith("\\begin{")) {
            return null;
        }
        Matcher m = MATRIX.matcher(normalized);
        if (!m.matches() || m.group(2).contains("\\begin{") || m.group(2).contains("\\end{")) {
            return null; // a list of matrices, or a matrix of matrices: not one matrix
        }
        List<List<String>> rows = new ArrayList<>();
        for (String row : MathEquivalence.splitTopLevel(m.group(2), ";", budget)) {
            if (row.isEmpty() && !rows.isEmpty()) {
                continue; // a trailing \\ before \end
            }
            List<String> entries = MathEquivalence.splitTopLevel(row, "&", budget);
            if (!rows.isEmpty() && entries.size() != rows.get(0).size()) {
                return null;
            }
            rows.add(entries);
        }
        return rows;
    }
}
