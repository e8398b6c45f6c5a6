package io.zero4j.rewards;

import io.zero4j.rewards.math.EquivalenceOptions;
import io.zero4j.rewards.math.MathEquivalence;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * 1 when the answer extracted from the completion is mathematically equivalent to the gold answer
 * under the run's {@link EquivalenceOptions}, else 0. No extractable answer (an empty
 * {@code <answer></answer>} included) scores 0 as unparseable. The gold answer is read through
 * GSM8K's {@code ####} or a {@code \boxed{}} when it has one, so a dataset's worked solution can serve
 * as the gold field; an answer in words on either side ("Answer \( 9 \)", "The answer is 7.") is
 * compared again through the one value it names ({@link #innerAnswer}).
 */
public final class AccuracyReward implements RewardFunction {
    public static final List<AnswerExtractor> DEFAULT_CHAIN =
            List.of(AnswerExtractor.ANSWER_TAG, AnswerExtractor.BOXED, AnswerExtractor.GSM8K, AnswerExtractor.ANSWER_IS);

    /**
     * A word: three letters or more, not right after a backslash, a brace or a letter, so LaTeX
     * commands and the first word of a {@code \text{...}} do not count.
     */
    private static final Pattern PROSE = Pattern.compile("(?<![\\\\{A-Za-z])[A-Za-z]{3,}");

    private static final Pattern DIGIT = Pattern.compile("\\d");

    private final List<AnswerExtractor> chain;
    private final EquivalenceOptions options;
    private final boolean thinkPrefilled;

    /**
     * @param thinkPrefilled the prompt ends with {@code <think>}: an untagged answer
     *                       ({@code latex_math}, {@code last_number}) is then only read after {@code </think>}
     */
    public AccuracyReward(List<AnswerExtractor> chain, EquivalenceOptions options, boolean thinkPrefilled) {
        this.chain = List.copyOf(chain);
        this.options = options;
        this.thinkPrefilled = thinkPrefilled;
    }

    public static AccuracyReward withDefaultChain() {
        return new AccuracyReward(DEFAULT_CHAIN, EquivalenceOptions.DEFAULT, false);
    }

    @Override
    public Set<SampleField> requires() {
        return Set.of(SampleField.ANSWER);
    }

    @Override
    public String name() {
        return Choices.name(RewardKind.ACCURACY);
    }

    @Override
    public Score score(Sample sample, Budget budget) {
        return score(sample, budget, null);
    }

    /** Notes {@code extracted_by}, {@code predicted}, {@code gold_from}, {@code gold}, the pair compared, and the comparison's own notes. */
    @Override
    public Score score(Sample sample, Budget budget, Trace trace) {
        String predicted = extractedAnswer(chain, thinkPrefilled, sample.completion(), budget, trace);
        if (predicted == null) {
            return Score.unparseable(0.0);
        }
        Trace.note(trace, "predicted", predicted);
        String gold = goldAnswer(sample.answer(), budget, trace);
        if (gold == null) {
            return Score.judged(0.0);
        }
        Trace.note(trace, "gold", gold);
        if (same(predicted, gold, "the answer with the gold", budget, trace)) {
            return Score.judged(1.0);
        }
        String innerPredicted = innerAnswer(predicted, budget);
        String stated = AnswerExtractor.ANSWER_IS.extract(gold, budget);
        String innerGold = stated != null ? stated : mathSpanAnswer(gold, budget); // a gold's words qualify its number
        boolean equal = innerPredicted != null && same(innerPredicted, gold, "the answer's one value with the gold", budget, trace)
                || innerGold != null && same(predicted, innerGold, "the answer with the gold's one value", budget, trace)
                || innerPredicted != null && innerGold != null
                && same(innerPredicted, innerGold, "the answer's one value with the gold's", budget, trace);
        return Score.judged(equal ? 1.0 : 0.0);
    }

    /** What maj@k groups a completion by: its answer, or the one value of an answer in words; null without one. */
    String voteKey(String completion, Budget budget) {
        String answer = extractedAnswer(chain, thinkPrefilled, completion, budget, null);
        String inner = answer == null ? null : innerAnswer(answer, budget);
        return inner != null ? inner : answer;
    }

    /** Whether two answers are one class under this reward's options. */
    boolean sameAnswer(String a, String b, Budget budget) {
        return MathEquivalence.equivalent(a, b, options, budget, null);
    }

    private boolean same(String predicted, String gold, String what, Budget budget, Trace trace) {
        if (trace != null) { // built only when explaining: this runs for every completion of a run
            Trace.note(trace, "compared", what + ": " + predicted + " | " + gold);
        }
        return MathEquivalence.equivalent(predicted, gold, options, budget, trace);
    }

    /**
     * What an answer written in words holds ("Answer \( 9 \)", "The total is 7,425,000"): its one
     * math span when it has exactly one and no digit outside it, else its one number when it has
     * exactly one and a word of three letters or more; null otherwise. An answer that names two
     * values ("5 or 7", "It is 5, not 7", "$5$ or $7$") is left whole, so hedging earns nothing.
     */
    static String innerAnswer(String answer, Budget budget) {
        if (!AnswerExtractor.mathSpans(answer, budget).isEmpty()) {
            return mathSpanAnswer(answer, budget);
        }
        if (!PROSE.matcher(answer).find()) {
            return null;
        }
        List<String> numbers = AnswerExtractor.numbers(answer, budget, 2);
        return numbers.size() == 1 ? numbers.get(0) : null;
    }

    /**
     * The one math span of an answer in words when no digit stands outside it ("Answer: \\( 7 \\)");
     * null otherwise. This alone is how a gold field in words is read: its words may qualify its
     * number ("more than 10", "all reals except 2"), so its number alone is not its answer.
     */
    static String mathSpanAnswer(String answer, Budget budget) {
        List<String> spans = AnswerExtractor.mathSpans(answer, budget);
        if (spans.size() != 1) {
            return null;
        }
        String span = spans.get(0);
        String outside = answer.replace(span, "");
        return span.strip().equals(answer.strip()) || DIGIT.matcher(outside).find() ? null : span;
    }

    /**
     * The first answer along the chain, with a {@code \\boxed{}} inside it unwrapped
     * ("<answer>\\boxed{5}</answer>"); notes {@code extracted_by}. The extractors of untagged
     * answers ({@code latex_math}, {@code last_number}) read only the text after the thinking
     * ({@link Thinking#afterThinking}), so a completion cut off while it reasons is not graded on
     * the last number of its reasoning.
     */
    static String extractedAnswer(List<AnswerExtractor> chain, boolean thinkPrefilled, String completion, Budget budget,
                                  Trace trace) {
        String afterThinking = null;
        for (AnswerExtractor e : chain) {
            boolean untagged = e == AnswerExtractor.LATEX_MATH || e == AnswerExtractor.LAST_NUMBER;
            if (untagged && afterThinking == null) {
                afterThinking = Objects.requireNonNullElse(Thinking.afterThinking(completion, thinkPrefilled), "");
            }
            String answer = e.extract(untagged ? afterThinking : completion, budget);
            if (answer != null) {
                String boxedInside = e == AnswerExtractor.BOXED ? null : AnswerExtractor.BOXED.extract(answer, budget);
                if (trace != null) {
                    Trace.note(trace, "extracted_by", Choices.name(e) + (untagged && afterThinking.length() < completion.length()
                            ? " (after the thinking)" : "") + (boxedInside != null ? ", then the boxed inside it" : ""));
                }
                return boxedInside != null ? boxedInside : answer;
            }
        }
        if (trace != null) {
            Trace.note(trace, "extracted_by", "nothing: none of " + chain.stream().map(Choices::name).toList() + " found an answer");
        }
        return null;
    }

    /** The gold field's answer: after {@code ####}, else its last {@code \boxed{}}, else all of it; notes {@code gold_from}. */
    static String goldAnswer(String gold, Budget budget, Trace trace) {
        if (gold == null) {
            Trace.note(trace, "gold_from", "nothing: the sample has no gold answer");
            return null;
        }
        for (AnswerExtractor e : List.of(AnswerExtractor.GSM8K, AnswerExtractor.BOXED)) {
            String marked = e.extract(gold, budget);
            if (marked != null) {
                Trace.note(trace, "gold_from", Choices.name(e));
                return marked;
            }
        }
        Trace.note(trace, "gold_from", "the whole field");
        return gold.strip();
    }
}
