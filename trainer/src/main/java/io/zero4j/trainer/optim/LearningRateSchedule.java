package io.zero4j.trainer.optim;

/**
 * The learning rate at an optimizer step (0-based), as transformers' schedulers compute it: linear
 * warm-up from 0 over {@code warmupSteps}, then constant or a cosine decay to 0 at
 * {@code totalSteps}.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, Shape shape) {
    public enum Shape { CONSTANT, COSINE }

    public double at(int step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        if (shape == Shape.CONSTANT) {
            return peak;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
