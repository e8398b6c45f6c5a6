package io.zero4j.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU check's comparison run here, CPU against CPU, so the code a GPU user runs is exercised on
 * every build: it must agree exactly with itself, and what it compares must be worth comparing (the
 * update moves the log-probabilities by far more than the bound, and the loss is a real number).
 */
class DeviceParityTest {
    @Test
    void theCpuAgreesWithItselfAndTheUpdateMovesWhatIsCompared() {
        List<DeviceParity.Check> checks = DeviceParity.compare(Device.cpu(), Device.cpu());
        assertEquals(3, checks.size());
        for (DeviceParity.Check c : checks) {
            assertEquals(0.0, c.difference(), c.toString());
            assertTrue(c.passed());
        }
        DeviceParity.Run run = DeviceParity.run(Device.cpu());
        assertTrue(Double.isFinite(run.loss()) && run.loss() != 0, "loss " + run.loss());
        assertTrue(DeviceParity.maxDifference(run.before(), run.after()) > 100 * DeviceParity.TOLERANCE,
                "the update changes log-probabilities by " + DeviceParity.maxDifference(run.before(), run.after()));
        assertFalse(new DeviceParity.Check("x", Double.NaN).passed(), "NaN is a failure");
        assertFalse(new DeviceParity.Check("x", 2 * DeviceParity.TOLERANCE).passed());
    }
}
