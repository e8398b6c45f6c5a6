package io.zero4j.trainer.toy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in toy's problem family: two digits are added to a running digit, keeping only the
 * last digit, several times over: {@code Start with 7. Add 3, add 8, keep the last digit. Do this 4
 * times}. The answer is the final digit.
 *
 * <p>Worked step by step ({@code 4 left: 7+3=10, 0+8=08; 3 left: 8+3=11, ...}) every number written
 * is a copy of a number close behind it or one sum from the 10 x 10 addition table, so a tiny model
 * learns the procedure in minutes. Answered in one shot, the model must find
 * {@code (start + repeats * (a + b)) mod 10} at once: the last digit is a parity-like function that
 * no single number of the question predicts, and a small model stays near chance (10%).
 *
 * <p>Problems are split by a hash into a reserved part (1 in {@link #RESERVED_ONE_IN}), from which
 * RL and held-out problems are drawn, and the rest, which the pretraining corpus uses, so no
 * problem the trained model is evaluated on appeared in pretraining.
 */
public final class DigitChains {
    public static final int RESERVED_ONE_IN = 8;
    private static final Pattern QUESTION = Pattern.compile(
            "Start with (\\d)\\. Add (\\d), add (\\d), keep the last digit\\. Do this (\\d) times");

    private final int minSteps;
    private final int maxSteps;

    public DigitChains(int minSteps, int maxSteps) {
        if (minSteps < 1 || maxSteps < minSteps || maxSteps > 9) {
            throw new IllegalArgumentException("steps must satisfy 1 <= min <= max <= 9, got " + minSteps + ".." + maxSteps);
        }
        this.minSteps = minSteps;
        this.maxSteps = maxSteps;
    }

    /** Start at {@code start}; {@code steps} times {@code x -> (x + first + second) mod 10}. */
    public record Problem(int start, int steps, int first, int second) {
        public String question() {
            // The repeat count comes last, right before the answer begins: the worked solution opens by
            // copying it, and a copy from a few tokens back is one a tiny model learns first.
            // No full stop: R1-Zero's template adds one.
            return "Start with " + start + ". Add " + first + ", add " + second + ", keep the last digit. Do this " + steps
                    + " times";
        }

        public int result() {
            int x = start;
            for (int i = 0; i < steps; i++) {
                x = (x + first + second) % 10;
            }
            return x;
        }

        public String answer() {
            return Integer.toString(result());
        }

        /**
         * The worked solution, one step per repetition, counting down the repetitions left, each a
         * pair of sums: {@code 4 left: 7+3=10, 0+8=08; 3 left: 8+3=11, 1+8=09}. Sums are two digits
         * wide, so every step has the same length and what a step copies from the one before sits
         * at a fixed distance.
         */
        public String reasoning() {
            List<String> out = new ArrayList<>();
            int x = start;
            for (int left = steps; left >= 1; left--) {
                int once = x + first;
                int twice = once % 10 + second;
                out.add(String.format("%d left: %d+%d=%02d, %d+%d=%02d", left, x, first, once, once % 10, second, twice));
                x = twice % 10;
            }
            return String.join("; ", out);
        }

        /** In the reserved (RL and held-out) part of the problem space. */
        public boolean reserved() {
            long h = ((start * 10L + steps) * 10 + first) * 10 + second;
            h = (h + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
            return Math.floorMod(h * 0x94D049BB133111EBL >>> 11, RESERVED_ONE_IN) == 0;
        }
    }

    /** A uniformly random problem (both addends 1..9) from the part asked for. */
    public Problem next(SplittableRandom rng, boolean reserved) {
        while (true) {
            Problem p = new Problem(rng.nextInt(10), minSteps + rng.nextInt(maxSteps - minSteps + 1), 1 + rng.nextInt(9),
                    1 + rng.nextInt(9));
            if (p.reserved() == reserved) {
                return p;
            }
        }
    }

    /**
     * Every reserved problem, in an order fixed by the seed alone: callers take the first ones for
     * evaluation and the rest for RL, and the shipped files can be checked against it.
     */
    public List<Problem> reservedProblems(long seed) {
        List<Problem> out = new ArrayList<>();
        for (int steps = minSteps; steps <= maxSteps; steps++) {
            for (int start = 0; start < 10; start++) {
                for (int first = 1; first <= 9; first++) {
                    for (int second = 1; second <= 9; second++) {
                        Problem p = new Problem(start, steps, first, second);
                        if (p.reserved()) {
                            out.add(p);
                        }
                    }
                }
            }
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    /** The problem a question states, or null when it is not one of ours. */
    public static Problem parse(String question) {
        if (question == null || question.length() > 200) {
            return null;
        }
        Matcher m = QUESTION.matcher(question.strip());
        if (!m.matches()) {
            return null;
        }
        return new Problem(m.group(1).charAt(0) - '0', m.group(4).charAt(0) - '0', m.group(2).charAt(0) - '0',
                m.group(3).charAt(0) - '0');
    }
}
