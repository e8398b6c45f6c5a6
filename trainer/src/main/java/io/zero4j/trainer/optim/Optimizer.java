package io.zero4j.trainer.optim;

/** What the update needs of an optimizer: apply the accumulated gradients (then zero them), and count. */
public interface Optimizer {
    /** One update at learning rate {@code lr} from the parameters' gradients, which are then zeroed. */
    void step(double lr);

    /** Updates applied so far (the bias-correction step of Adam). */
    int stepCount();
}
