package io.zero4j.trainer.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pretraining corpus: digit-chain problems written in the prompt template, each answered either
 * directly ({@code </think> <answer>3</answer>}) or with a worked solution inside think
 * ({@code  4 left: 7+3=10, 0+8=08; ... </think> <answer>3</answer>}); {@code worked_share} of them worked,
 * drawn independently of the problem, so the base model can do both and mostly answers directly.
 * Only the unreserved part of the problem space is used: RL and held-out problems never appear.
 */
public final class ToyCorpus {
    /** How a worked solution opens: appended to a prompt, it makes the model work step by step. */
    public static final String WORKED_OPENING = " ";

    private ToyCorpus() {
    }

    /** The completion that follows the template's prefilled {@code <think>}. */
    public static String completion(DigitChains.Problem p, boolean worked) {
        return (worked ? WORKED_OPENING + p.reasoning() + " " : "") + "</think> <answer>" + p.answer() + "</answer>";
    }

    public static DigitChains task(PretrainConfig.Task task) {
        return new DigitChains(task.minSteps(), task.maxSteps());
    }

    /** The documents, in generation order, without the end-of-text token (added by the tokenizer step). */
    public static List<String> documents(PretrainConfig config) {
        DigitChains task = task(config.task());
        SplittableRandom rng = new SplittableRandom(config.seed());
        String template = config.effectiveTemplate();
        List<String> out = new ArrayList<>(config.corpus().documents());
        for (int i = 0; i < config.corpus().documents(); i++) {
            DigitChains.Problem p = task.next(rng, false);
            boolean worked = rng.nextDouble() < config.corpus().workedShare();
            out.add(template.replace("{problem}", p.question()) + completion(p, worked));
        }
        return out;
    }
}
