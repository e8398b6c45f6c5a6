package io.zero4j.trainer.cli;

import ai.djl.Device;
import io.zero4j.model.Devices;
import io.zero4j.trainer.run.DeviceParity;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code ./zero4j gpu-check [--device gpu:N]}: whether the GPU computes what the CPU computes on a
 * tiny seeded model ({@link DeviceParity}): the forward pass, one GRPO update, the forward pass after
 * it. A GPU that is not there is one line and exit code 2; a disagreement is exit code 1.
 */
final class GpuCheckCommand {
    private GpuCheckCommand() {
    }

    /** @return whether every comparison passed */
    static boolean run(String[] argv, PrintStream out) {
        Args args = new Args("gpu-check", argv, Set.of("device"), Set.of());
        String asked = args.string("device", "gpu");
        Device device = Devices.resolve(asked, "gpu-check: --device");
        List<DeviceParity.Check> checks = DeviceParity.compare(device, Devices.host());
        checks.forEach(c -> out.println(Devices.describe(device) + " vs cpu: " + c));
        boolean passed = checks.stream().allMatch(DeviceParity.Check::passed);
        out.println(passed ? "gpu-check: " + Devices.describe(device) + " agrees with the CPU"
                : "gpu-check: " + Devices.describe(device) + " DISAGREES with the CPU (see above)");
        return passed;
    }
}
