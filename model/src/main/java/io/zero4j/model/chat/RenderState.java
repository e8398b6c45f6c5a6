package io.zero4j.model.chat;

import java.time.Clock;

/** What one render shares: the clock for {@code strftime_now} and the budget that keeps it finite. */
final class RenderState {
    /** Loop iterations one render may run, across all loops. */
    static final long MAX_ITERATIONS = 1_000_000;
    /** How deep macro calls may nest. */
    static final int MAX_CALL_DEPTH = 100;

    final Clock clock;
    private long iterations;
    private int callDepth;

    RenderState(Clock clock) {
        this.clock = clock;
    }

    void countIteration(int line) {
        if (++iterations > MAX_ITERATIONS) {
            throw TemplateException.at(line, "the render ran more than " + MAX_ITERATIONS + " loop iterations");
        }
    }

    void enterCall(String name) {
        if (++callDepth > MAX_CALL_DEPTH) {
            throw new TemplateException("macro '" + name + "' nested deeper than " + MAX_CALL_DEPTH + " calls");
        }
    }

    void exitCall() {
        callDepth--;
    }
}
