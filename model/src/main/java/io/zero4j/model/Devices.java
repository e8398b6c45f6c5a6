package io.zero4j.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * The compute device a user names: {@code cpu}, {@code gpu} (CUDA device 0), {@code gpu:N} or
 * {@code auto} (device 0 when PyTorch sees a GPU, else the CPU). This is the one place those words
 * are written. A GPU asked for on a machine without one is an error, never a quiet fall back to the
 * CPU. Code that computes takes its device from here or from a model's manager; nothing else
 * creates a tensor on a device of its own choosing.
 */
public final class Devices {
    /** The accepted spellings, for messages. */
    public static final String CHOICES = "cpu, gpu, gpu:N or auto";
    /** The device when none is named: the CPU, so a run never lands on a GPU nobody asked for. */
    public static final String DEFAULT = "cpu";

    private Devices() {
    }

    /** A device as written, before any hardware is consulted: {@code gpuIndex} is -1 for cpu and auto. */
    public record Choice(Kind kind, int gpuIndex) {
        @Override
        public String toString() {
            return kind == Kind.GPU ? "gpu:" + gpuIndex : kind.name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Kind { CPU, GPU, AUTO }

    /** The choice a value spells ({@code null} means {@link #DEFAULT}); a misspelling is one line naming {@code source}. */
    public static Choice spell(String value, String source) {
        String v = (value == null ? DEFAULT : value).trim().toLowerCase(Locale.ROOT);
        if (v.equals("cpu")) {
            return new Choice(Kind.CPU, -1);
        }
        if (v.equals("auto")) {
            return new Choice(Kind.AUTO, -1);
        }
        if (v.equals("gpu")) {
            return new Choice(Kind.GPU, 0);
        }
        if (v.matches("gpu:[0-9]{1,3}")) {
            return new Choice(Kind.GPU, Integer.parseInt(v.substring(4)));
        }
        throw new UserInputException(source + ": device '" + value + "' is not known, expected " + CHOICES);
    }

    /** The device a value names on this machine; see {@link #resolve(Choice, String)}. */
    public static Device resolve(String value, String source) {
        return resolve(spell(value, source), source);
    }

    /**
     * The device of a choice on this machine. A GPU that PyTorch does not see is one line naming
     * {@code source} and what to do about it.
     */
    private static Device resolve(Choice choice, String source) {
        switch (choice.kind()) {
            case CPU:
                return Device.cpu();
            case AUTO:
                return visibleGpus() > 0 ? Device.gpu(0) : Device.cpu();
            default:
                int gpus = visibleGpus();
                if (gpus == 0) {
                    throw new UserInputException(source + ": device '" + choice + "' asked for, but PyTorch sees no GPU"
                            + " (" + whyNoGpu() + "); use 'cpu', or run on a machine with an NVIDIA GPU and CUDA 12.4 drivers");
                }
                if (choice.gpuIndex() >= gpus) {
                    throw new UserInputException(source + ": device '" + choice + "' asked for, but PyTorch sees " + gpus
                            + " GPU" + (gpus == 1 ? "" : "s") + " (gpu:0" + (gpus > 1 ? " to gpu:" + (gpus - 1) : "") + ")");
                }
                return Device.gpu(choice.gpuIndex());
        }
    }

    /** The host CPU, for work that only moves bytes and computes nothing a config places (init, export). */
    public static Device host() {
        return Device.cpu();
    }

    /** How a device is written back to a user: {@code cpu} or {@code gpu:N}. */
    public static String describe(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /** How many CUDA devices the loaded PyTorch sees. */
    public static int visibleGpus() {
        return Engine.getInstance().getGpuCount();
    }

    /** Whether the loaded libtorch was built with CUDA, i.e. the {@code cuda} Maven profile. */
    public static boolean engineHasCuda() {
        return Engine.getInstance().hasCapability(ai.djl.engine.StandardCapabilities.CUDA);
    }

    private static String whyNoGpu() {
        return engineHasCuda() ? "this libtorch has CUDA, but no device is visible: check nvidia-smi and CUDA_VISIBLE_DEVICES"
                : "this build's libtorch is CPU-only: build with the cuda profile: ZERO4J_MAVEN_ARGS=-Pcuda ./zero4j ...";
    }
}
