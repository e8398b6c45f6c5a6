package io.zero4j.trainer.cli;

import ai.djl.Device;
import io.zero4j.model.Devices;
import io.zero4j.trainer.run.DeviceParity;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./zero4j gpu-check}: whether the GPU computes what the CPU computes on a tiny seeded model
 * ({@link DeviceParity}). A GPU that is not there is one line and exit code 2; a disagreement is exit code 1.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true, description = {"Whether the GPU computes what the CPU"
    + " does on a tiny seeded model: forward, one GRPO update, forward again (1e-4).", "scripts/gpu-check.sh runs it."})
final class GpuCheckCommand implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--device", paramLabel = "gpu:N", description = "the GPU to check")
    private String asked = "gpu";

    GpuCheckCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Device device = Devices.resolve(asked, "gpu-check: --device");
        List<DeviceParity.Check> checks = DeviceParity.compare(device, Devices.host());
        checks.forEach(c -> out.println(Devices.describe(device) + " vs cpu: " + c));
        boolean passed = checks.stream().allMatch(DeviceParity.Check::passed);
        out.println(passed ? "gpu-check: " + Devices.describe(device) + " agrees with the CPU"
                : "gpu-check: " + Devices.describe(device) + " DISAGREES with the CPU (see above)");
        return passed ? 0 : 1;
    }
}
