package io.zero4j.trainer.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zero4j.model.Devices;
import java.io.PrintStream;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./zero4j info --devices}: what the loaded engine sees (libtorch version, whether it was
 * built with CUDA, each GPU with its compute capability and memory), and the device a value resolves
 * to here: {@code --device}, or {@code run.device} of a run config, as {@code train} would resolve it.
 */
final class DeviceReport {
    private DeviceReport() {
    }

    /** One visible GPU as CUDA reports it. */
    private record Gpu(int index, String computeCapability, MemoryUsage memory) {
    }

    /** @param asked the value as the user wrote it; {@code from} where it was written */
    static void print(String asked, String from, boolean json, PrintStream out) {
        Engine engine = Engine.getInstance();
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < Devices.visibleGpus(); i++) {
            gpus.add(new Gpu(i, CudaUtils.getComputeCapability(i), CudaUtils.getGpuMemory(Device.gpu(i))));
        }
        boolean cudaBuild = Devices.engineHasCuda();
        Device resolved = Devices.resolve(asked, from); // a GPU that is not there fails here, as train would
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("engine", engine.getEngineName());
            o.put("engine_version", engine.getVersion());
            o.put("djl_version", Engine.getDjlVersion());
            o.put("cuda_build", cudaBuild);
            o.put("cuda_runtime", cudaBuild ? CudaUtils.getCudaVersionString() : null);
            ArrayNode list = o.putArray("gpus");
            for (Gpu g : gpus) {
                list.addObject().put("device", "gpu:" + g.index()).put("compute_capability", g.computeCapability())
                        .put("memory_total_bytes", g.memory().getMax()).put("memory_used_bytes", g.memory().getUsed());
            }
            o.put("asked", asked);
            o.put("asked_in", from);
            o.put("device", Devices.describe(resolved));
            out.println(o);
            return;
        }
        out.printf("engine        %s %s (DJL %s), %s%n", engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                cudaBuild ? "built with CUDA " + CudaUtils.getCudaVersionString() : "CPU-only build");
        out.printf("gpus          %s%n", gpus.isEmpty() ? "none visible" : gpus.size() + " visible");
        for (Gpu g : gpus) {
            out.printf("  gpu:%d       compute capability %s, %.1f GiB, %.1f GiB in use%n", g.index(), g.computeCapability(),
                    g.memory().getMax() / (double) (1L << 30), g.memory().getUsed() / (double) (1L << 30));
        }
        out.printf("device        %s (%s '%s')%n", Devices.describe(resolved), from, asked);
    }
}
