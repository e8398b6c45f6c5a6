package io.zero4j.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * The engine's intra-op thread count for one phase of work. PyTorch keeps one count per process, and
 * the best count differs by phase: a small model's decode step is a few hundred tiny ops, each
 * cheaper on one thread than split over two, while its training pass has matrices worth splitting
 * (measured in {@code benchmarks/RESULTS.md}). With libtorch's OpenMP backend the count belongs to the
 * calling thread: {@link #with} must wrap work the engine does on that thread (the trainer's loop
 * samples and updates on one thread).
 */
public final class EngineThreads {
    static {
        Engine.getEngine("PyTorch"); // loads the native library before any JniUtils call
    }

    /** The count the engine started with ({@code ai.djl.pytorch.num_threads}, or PyTorch's default). */
    private static final int AT_START = JniUtils.getNumThreads();

    private EngineThreads() {
    }

    /** The count {@code 0} stands for. */
    public static int atStart() {
        return AT_START;
    }

    /** Runs {@code work} with {@code threads} intra-op threads (0: the count at start), then restores the count it found. */
    public static <T> T with(int threads, Supplier<T> work) {
        int wanted = threads == 0 ? AT_START : threads;
        int before = JniUtils.getNumThreads();
        if (wanted == before) {
            return work.get();
        }
        JniUtils.setNumThreads(wanted);
        try {
            return work.get();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    /** The count in effect now. */
    public static int current() {
        return JniUtils.getNumThreads();
    }
}
