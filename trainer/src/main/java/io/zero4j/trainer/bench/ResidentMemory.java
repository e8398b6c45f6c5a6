package io.zero4j.trainer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's peak resident memory (Linux {@code VmHWM}), which native tensors count in and the JVM
 * heap's figures do not. {@link #resetPeak} starts a new peak (writing 5 to {@code clear_refs}), so a
 * phase's own peak can be read.
 */
final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResidentMemory() {
    }

    /** Whether the peak could be reset (false off Linux, or where /proc forbids it). */
    static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Peak resident GiB since the start or the last reset; NaN where /proc is not there. */
    static double peakGib() {
        return statusGib("VmHWM:");
    }

    /** Resident GiB now; NaN where /proc is not there. */
    static double currentGib() {
        return statusGib("VmRSS:");
    }

    private static double statusGib(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / (1024.0 * 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
