package io.zero4j.trainer.loop;

/** Where a run stands, as a checkpoint records it: steps done, problems drawn, optimizer steps made. */
public record TrainerState(int step, int cursor, int optimizerSteps) {
}
