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

/**
 * {@code ./zero4j info --devices}: what the loaded engine sees (libtorch version, whether it was
 * built with CUDA, each GPU with its compute capability and memory), and the device a value resolves
 * to here: {@code --device}, or {@code run.device} of a run config, as {@code train} would resolve it.
 */
final class DeviceReport {
    private DeviceReport() {
    }

    /** @param asked the value as the user wrote it; {@code from} where it was written */
    static void print(String asked, String from, boolean json, PrintStream out) {
        Engine engine = Engine.getInstance();
        int gpus = Devices.visibleGpus();
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
            for (int i = 0; i < gpus; i++) {
                MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
                list.addObject().put("device", "gpu:" + i).put("compute_capability", CudaUtils.getComputeCapability(i))
                        .put("memory_total_bytes", memory.getMax()).put("memory_used_bytes", memory.getUsed());
            }
            o.put("asked", asked);
            o.put("asked_in", from);
            o.put("device", Devices.describe(resolved));
            out.println(o);
            return;
        }
        out.printf("engine        %s %s (DJL %s), %s%n", engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                cudaBuild ? "built with CUDA " + CudaUtils.getCudaVersionString() : "CPU-only build");
        out.printf("gpus          %s%n", gpus == 0 ? "none visible" : gpus + " visible");
        for (int i = 0; i < gpus; i++) {
            MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
            out.printf("  gpu:%d       compute capability %s, %.1f GiB, %.1f GiB in use%n", i, CudaUtils.getComputeCapability(i),
                    memory.getMax() / (double) (1L << 30), memory.getUsed() / (double) (1L << 30));
        }
        out.printf("device        %s (%s '%s')%n", Devices.describe(resolved), from, asked);
    }
}
