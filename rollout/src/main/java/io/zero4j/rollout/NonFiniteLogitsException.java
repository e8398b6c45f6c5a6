package io.zero4j.rollout;

import io.zero4j.model.UserInputException;

/**
 * The model produced a logits row holding NaN or infinity: its weights are not finite (a diverged
 * run, or a broken checkpoint). Sampling stops with this rather than drawing from garbage.
 */
public final class NonFiniteLogitsException extends UserInputException {
    public NonFiniteLogitsException(int prompt, int sample, int token) {
        super("the model's logits are not finite (NaN or infinity) at token " + token + " of prompt " + prompt
                + ", sample " + sample + ": its weights have diverged or were saved broken");
    }
}
