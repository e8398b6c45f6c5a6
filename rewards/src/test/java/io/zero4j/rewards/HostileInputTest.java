package io.zero4j.rewards;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.rewards.math.EquivalenceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 10,000 random and hostile strings through every reward function: none throws, each returns within
 * its bound. The budget is 50 ms; wall time is allowed 10x that for GC pauses and a busy CI machine,
 * which still catches anything that ignores the budget (those run for seconds or forever).
 */
class HostileInputTest {
    private static final long BUDGET_MS = 50;
    private static final long WALL_LIMIT_MS = 500;

    static List<String> hostile() {
        List<String> out = new ArrayList<>();
        out.add("{".repeat(1 << 20));
        out.add("\\boxed{" + "{".repeat(200_000) + "}".repeat(199_999));
        out.add("<answer>" + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "</answer>");
        out.add("<answer>9^9^9^9</answer>");
        out.add("<answer>10**100000</answer>");
        out.add("<answer>10^{100000000}</answer>");
        out.add("<answer>" + "9".repeat(100_000) + "</answer>");
        out.add("<answer>\\sqrt{\\sqrt{\\sqrt{" + "\\sqrt{".repeat(10_000) + "2" + "}".repeat(10_003) + "</answer>");
        out.add("\u0000\u0000<answer>\u0000</answer>\u0000");
        out.add("<answer>\uD800\uDC00\uD800 broken \uDC00 surrogates</answer>");
        out.add("<think>" + "a".repeat(1 << 20) + "</think><answer>4</answer>");
        out.add("<answer>" + "1+".repeat(200_000) + "1</answer>");
        out.add("<answer>" + "x".repeat(300_000) + "</answer>");
        out.add("The answer is " + "1,".repeat(300_000));
        out.add("#### " + "-".repeat(500_000));
        out.add("<answer>\\frac{1}{0}</answer>");
        out.add("<answer>0^{-1}</answer>");
        out.add("<answer>(-8)^{1/3}</answer>");
        out.add("<answer>" + "\\{".repeat(50_000) + "</answer>");
        out.add("<answer>" + "\\text{".repeat(50_000) + "</answer>");
        out.add("<answer>1" + "\\cup(1,2)".repeat(20_000) + "</answer>");
        out.add("<answer>" + "((1+2)*3-4)/5 ".repeat(20_000) + "</answer>");
        out.add("<answer>\\begin{pmatrix}" + "1 & ".repeat(200) + "1 \\\\ ".repeat(40) + "\\end{pmatrix}</answer>");
        out.add("<answer>\\begin{bmatrix}" + "\\begin{bmatrix}".repeat(60) + "1" + "\\end{bmatrix}".repeat(61) + "</answer>");
        out.add("<answer>" + "1 < x < ".repeat(110) + "2</answer>");
        out.add("<answer>x \\in " + "x \\in ".repeat(120) + "[1,2]</answer>");
        out.add("<answer>" + "1 \\pm ".repeat(150) + "2</answer>");
        out.add("<answer>1 \\pm (" + "2 \\pm (".repeat(40) + "3" + ")".repeat(41) + "</answer>");
        out.add("<answer>" + "5 percent ".repeat(90) + "</answer>");
        Random r = new Random(99);
        String alphabet = "0123456789+-*/^()[]{}\\,.=%$ xyzepi<>/answerthinkboxedfrac sqrt\u0000\uD800\\pm\\le&";
        while (out.size() < 10_000) {
            int len = r.nextInt(r.nextInt(10) == 0 ? 5000 : 80);
            StringBuilder sb = new StringBuilder();
            if (r.nextBoolean()) {
                sb.append("<answer>");
            }
            for (int i = 0; i < len; i++) {
                sb.append(r.nextInt(20) == 0 ? (char) r.nextInt(0x10000) : alphabet.charAt(r.nextInt(alphabet.length())));
            }
            if (r.nextBoolean()) {
                sb.append("</answer>");
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void everyFunctionSurvivesEveryString() {
        List<RewardFunction> functions = List.of(AccuracyReward.withDefaultChain(),
                new AccuracyReward(List.of(AnswerExtractor.values()), EquivalenceOptions.DEFAULT, false),
                FormatReward.strict(), RewardKind.create("format", Map.of("format_mode", "partial")),
                new CountdownReward(1.0, 0.1), new OverlongReward(100, 20));
        List<String> inputs = hostile();
        String[] golds = {"4", "\\frac{1}{2}", "(1,2)", "x^2+1", "\\{1,2\\}", "9^9^9^9", "\\infty"};
        long worst = 0;
        String worstCase = "";
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            String gold = i < 30 ? inputs.get(i).substring(0, Math.min(2000, inputs.get(i).length())) : golds[i % golds.length];
            Sample sample = new Sample(text, gold, List.of(1L, 2L, 3L), 6L, -1);
            for (RewardFunction f : functions) {
                long start = System.nanoTime();
                Score s = f.safeScore(sample, BUDGET_MS);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(Double.isFinite(s.value()), f.name() + " gave " + s.value());
                if (ms > worst) {
                    worst = ms;
                    worstCase = f.name() + " on input #" + i + " (" + text.length() + " chars)";
                }
            }
        }
        System.out.println("hostile inputs: slowest call " + worst + " ms, " + worstCase);
        assertTrue(worst <= WALL_LIMIT_MS, "slowest call " + worst + " ms: " + worstCase);
    }
}
