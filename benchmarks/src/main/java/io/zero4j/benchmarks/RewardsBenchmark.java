package io.zero4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.rewards.AccuracyReward;
import io.zero4j.rewards.FormatReward;
import io.zero4j.rewards.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Completions per second for {@code accuracy} and {@code format} on GSM8K-length completions: the
 * first 1,000 GSM8K test solutions wrapped in the R1-Zero template, the answer written as models
 * write it ({@code 18 dollars}, {@code \frac{180}{10}}, {@code 18.00}), judged against the dataset's
 * worked solution (its {@code ####} line), from the repository's {@code data/gsm8k} (run from the
 * project root, as {@code benchmarks/run.sh} does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RewardsBenchmark {
    private final List<Sample> samples = new ArrayList<>();
    private final AccuracyReward accuracy = AccuracyReward.withDefaultChain();
    private final FormatReward format = FormatReward.strict();
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path data = Path.of("data/gsm8k/test.jsonl");
        if (!Files.exists(data)) {
            throw new IllegalStateException(data.toAbsolutePath() + " not found: run from the project root");
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(data).subList(0, 1000)) {
            String solution = json.readTree(line).get("answer").asText();
            int marker = solution.lastIndexOf("####");
            String work = solution.substring(0, marker).strip();
            String answer = solution.substring(marker + 4).strip();
            // Answers in the forms models write, so the comparison normalises and evaluates
            // rather than matching strings: "18 dollars", "\\frac{36}{2}", "18.00".
            String plain = answer.replace(",", "");
            String written = switch (samples.size() % 3) {
                case 0 -> plain + " dollars";
                case 1 -> "\\frac{" + plain + "0}{10}";
                default -> plain + ".00";
            };
            samples.add(Sample.of("<think>" + work + "</think>\n<answer>" + written + "</answer>", solution));
        }
    }

    /** Baseline: read every character of the completion once. */
    @Benchmark
    public int readOnce() {
        String text = samples.get(next++ % samples.size()).completion();
        int sum = 0;
        for (int i = 0; i < text.length(); i++) {
            sum += text.charAt(i);
        }
        return sum;
    }

    @Benchmark
    public double accuracy() {
        return accuracy.safeScore(samples.get(next++ % samples.size()), 50).value();
    }

    @Benchmark
    public double format() {
        return format.safeScore(samples.get(next++ % samples.size()), 50).value();
    }
}
