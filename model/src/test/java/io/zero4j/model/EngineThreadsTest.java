package io.zero4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EngineThreadsTest {
    @Test
    void aPhaseRunsWithItsCountAndTheCountBeforeComesBack() {
        int start = EngineThreads.atStart();
        int other = start + 1;
        assertEquals(other, (int) EngineThreads.with(other, EngineThreads::current));
        assertEquals(start, EngineThreads.current(), "restored");
        assertEquals(start, (int) EngineThreads.with(0, EngineThreads::current), "0 is the count at start");
        assertEquals(start, (int) EngineThreads.with(other, () -> EngineThreads.with(0, EngineThreads::current)),
                "0 inside another phase is still the count at start");
        assertThrows(IllegalStateException.class, () -> EngineThreads.with(other, () -> {
            throw new IllegalStateException("a phase that fails");
        }));
        assertEquals(start, EngineThreads.current(), "restored after a failure too");
    }
}
