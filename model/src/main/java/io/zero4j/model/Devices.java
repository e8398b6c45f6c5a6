package io.zero4j.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** The compute device from a config value: {@code cpu}, {@code gpu} (first CUDA device) or {@code auto}. */
public final class Devices {
    private Devices() {
    }

    public static Device parse(String value, String source) {
        String v = value == null ? "auto" : value.trim().toLowerCase();
        int gpus = v.equals("cpu") ? 0 : Engine.getInstance().getGpuCount();
        switch (v) {
            case "cpu":
                return Device.cpu();
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            case "gpu":
            case "cuda":
                if (gpus == 0) {
                    throw new UserInputException(source + ": device 'gpu' asked for, but PyTorch sees no GPU"
                            + " (build with 'mvn -Pcuda' on a machine with CUDA 12.4 drivers, or use 'cpu')");
                }
                return Device.gpu();
            default:
                throw new UserInputException(source + ": device '" + value + "' is not known, expected cpu, gpu or auto");
        }
    }
}
