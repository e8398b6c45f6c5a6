package io.zero4j.trainer.cli;

import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Score;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table {@code ./zero4j score --explain} prints after the lines, per function: how many
 * answers were parsed and by which extractor, how many were unparseable, equal (full marks), not
 * equal, timed out or failed, and where the gold answers were read from; so a verifier can be
 * audited on a user's data before a run trains on it.
 */
final class ScoreAudit {
    private final Map<String, Counts> byFunction = new LinkedHashMap<>();

    private static final class Counts {
        final Map<Score.Outcome, Integer> outcomes = new TreeMap<>();
        final Map<String, Integer> extractedBy = new TreeMap<>();
        final Map<String, Integer> goldFrom = new TreeMap<>();
        int equal;
        int notEqual;
    }

    ScoreAudit(List<String> names) {
        names.forEach(n -> byFunction.put(n, new Counts()));
    }

    void add(RewardSet.Judgement j) {
        j.outcomes().forEach((name, outcome) -> {
            Counts c = byFunction.get(name);
            c.outcomes.merge(outcome, 1, Integer::sum);
            if (outcome == Score.Outcome.JUDGED) {
                if (j.scores().get(name) == 1.0) {
                    c.equal++;
                } else {
                    c.notEqual++;
                }
            }
            Map<String, String> e = j.explanations().getOrDefault(name, Map.of());
            if (e.containsKey("extracted_by")) {
                c.extractedBy.merge(e.get("extracted_by").startsWith("nothing") ? "nothing" : e.get("extracted_by"), 1, Integer::sum);
            }
            if (e.containsKey("gold_from")) {
                c.goldFrom.merge(e.get("gold_from"), 1, Integer::sum);
            }
        });
    }

    void print(PrintStream err) {
        err.printf("%-10s %8s %11s %7s %9s %8s %6s%n", "function", "parsed", "unparseable", "equal", "not equal", "timeouts",
                "errors");
        byFunction.forEach((name, c) -> {
            int unparseable = c.outcomes.getOrDefault(Score.Outcome.UNPARSEABLE, 0);
            err.printf("%-10s %8d %11d %7d %9d %8d %6d%n", name, c.equal + c.notEqual, unparseable, c.equal, c.notEqual,
                    c.outcomes.getOrDefault(Score.Outcome.TIMEOUT, 0), c.outcomes.getOrDefault(Score.Outcome.ERROR, 0));
            if (!c.extractedBy.isEmpty()) {
                err.println("  " + name + " answers read by: " + c.extractedBy);
            }
            if (!c.goldFrom.isEmpty()) {
                err.println("  " + name + " gold answers read from: " + c.goldFrom);
            }
        });
        err.println("(\"equal\" counts full marks; a function that is not a match, such as format, counts its other scores"
                + " as \"not equal\")");
    }
}
