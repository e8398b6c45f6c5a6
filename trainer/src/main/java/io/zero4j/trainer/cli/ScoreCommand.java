package io.zero4j.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.UserInputException;
import io.zero4j.rewards.RewardSet;
import io.zero4j.rewards.Sample;
import io.zero4j.rewards.Score;
import io.zero4j.trainer.data.TextLines;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./zero4j score}: each output line is its input line plus {@code reward} (the weighted
 * total) and one field per function; order and count are kept. A summary goes to stderr. With
 * {@code --explain}, each line also gets {@code explain}: per function, what it read from each side,
 * the canonical forms and why it decided; and the summary is an audit table ({@link ScoreAudit}).
 */
@Command(name = "score", mixinStandardHelpOptions = true, description = {"Score completions with rule-based rewards"
    + " (an unknown name lists the known ones).", "Each input line needs 'completion', and what its rewards read"
    + " ('answer', or 'numbers' and 'target'); a summary goes to stderr."})
final class ScoreCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--reward", required = true, split = ",", paramLabel = "NAME[=WEIGHT]")
    private List<String> rewardSpecs;
    @Option(names = "--input", required = true, paramLabel = "IN.jsonl")
    private Path input;
    @Option(names = "--output", paramLabel = "OUT.jsonl", description = "default: standard output")
    private Path output;
    @Option(names = "--params", split = ",", paramLabel = "KEY=VALUE", description = "reward parameters")
    private List<String> paramList = new ArrayList<>();
    @Option(names = "--timeout-ms", paramLabel = "N", description = "per reward call")
    private int timeoutMillis = (int) RewardSet.DEFAULT_TIMEOUT_MILLIS;
    @Option(names = "--explain", description = "add to each line what each function read and why it decided, and print an"
            + " audit table (parsed, unparseable, equal, not equal; extractors and gold sources)")
    private boolean explain;

    ScoreCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (!Files.exists(input)) {
            throw new UserInputException("score: --input " + input + ": no such file");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : paramList) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("score: --params '" + kv + "': expected key=value");
            }
            params.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        RewardSet rewards;
        try {
            rewards = RewardSet.parse(rewardSpecs, params, Inputs.atLeast("score", "--timeout-ms", timeoutMillis, 1));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("score: " + e.getMessage());
        }
        Summary summary = new Summary(rewards.names());
        ScoreAudit audit = new ScoreAudit(rewards.names());
        ObjectMapper json = new ObjectMapper();
        List<String> inputLines = TextLines.read(input); // every line is UTF-8 before anything is written
        try {
            Writer writer = output == null ? new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
            BufferedWriter lines = new BufferedWriter(writer);
            try {
                for (int number = 1; number <= inputLines.size(); number++) {
                    ObjectNode row = parseLine(json, inputLines.get(number - 1), input, number);
                    RewardSet.Judgement j = rewards.judge(sample(row, input, number), explain);
                    row.put("reward", j.total());
                    j.scores().forEach(row::put);
                    if (explain) {
                        putExplanation(row, j);
                        audit.add(j);
                    }
                    lines.write(json.writeValueAsString(row));
                    lines.newLine();
                    summary.add(j);
                }
            } finally {
                lines.flush();
                if (output != null) {
                    lines.close(); // standard output stays open
                }
            }
        } catch (IOException e) {
            throw new UserInputException("score: --output " + output + ": cannot write: " + e.getMessage());
        }
        summary.print(err);
        if (explain) {
            audit.print(err);
        }
        return 0;
    }

    /** {@code explain}: per function its outcome and what its trace noted. */
    private static void putExplanation(ObjectNode row, RewardSet.Judgement j) {
        ObjectNode why = row.putObject("explain");
        j.explanations().forEach((name, entries) -> {
            ObjectNode function = why.putObject(name);
            function.put("outcome", j.outcomes().get(name).name().toLowerCase(java.util.Locale.ROOT));
            entries.forEach(function::put);
        });
    }

    private static ObjectNode parseLine(ObjectMapper json, String line, Path file, int number) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            throw new UserInputException(file + ":" + number + ": not a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw new UserInputException(file + ":" + number + ": not a JSON object");
        }
        TextLines.requireText(node, file + ":" + number);
        return (ObjectNode) node;
    }

    private static Sample sample(ObjectNode row, Path file, int number) {
        JsonNode completion = row.get("completion");
        if (completion == null || !completion.isTextual()) {
            throw new UserInputException(file + ":" + number + ": field 'completion': expected a string");
        }
        JsonNode answer = row.get("answer");
        List<Long> numbers = new ArrayList<>();
        JsonNode ns = row.get("numbers");
        if (ns != null) {
            if (!ns.isArray()) {
                throw new UserInputException(file + ":" + number + ": field 'numbers': expected a list of integers");
            }
            for (JsonNode n : ns) {
                if (!n.canConvertToLong() || !n.isIntegralNumber()) {
                    throw new UserInputException(file + ":" + number + ": field 'numbers': expected a list of integers");
                }
                numbers.add(n.asLong());
            }
        }
        JsonNode target = row.get("target");
        if (target != null && !target.isIntegralNumber()) {
            throw new UserInputException(file + ":" + number + ": field 'target': expected an integer");
        }
        JsonNode tokens = row.get("completion_tokens");
        return new Sample(completion.asText(), answer == null || answer.isNull() ? null : answer.asText(), numbers,
                target == null ? null : target.asLong(), tokens != null && tokens.isInt() ? tokens.asInt() : -1);
    }

    /** Means per function, and how many of its scores were not judged (by outcome). */
    private static final class Summary {
        private final List<String> names;
        private final Map<String, double[]> sums = new LinkedHashMap<>();
        private final Map<String, Map<Score.Outcome, int[]>> outcomes = new LinkedHashMap<>();
        private double total;
        private int lines;

        Summary(List<String> names) {
            this.names = names;
            names.forEach(n -> {
                sums.put(n, new double[1]);
                Map<Score.Outcome, int[]> counts = new EnumMap<>(Score.Outcome.class);
                for (Score.Outcome o : Score.Outcome.values()) {
                    counts.put(o, new int[1]);
                }
                outcomes.put(n, counts);
            });
        }

        void add(RewardSet.Judgement j) {
            lines++;
            total += j.total();
            j.scores().forEach((n, v) -> sums.get(n)[0] += v);
            j.outcomes().forEach((n, o) -> outcomes.get(n).get(o)[0]++);
        }

        void print(PrintStream err) {
            err.printf("scored %d lines, mean reward %.4f%n", lines, lines == 0 ? 0 : total / lines);
            for (String n : names) {
                Map<Score.Outcome, int[]> c = outcomes.get(n);
                err.printf("  %-10s mean %.4f  timeouts %d  unparseable %d  errors %d%n", n, lines == 0 ? 0 : sums.get(n)[0] / lines,
                        c.get(Score.Outcome.TIMEOUT)[0], c.get(Score.Outcome.UNPARSEABLE)[0], c.get(Score.Outcome.ERROR)[0]);
            }
        }
    }
}
