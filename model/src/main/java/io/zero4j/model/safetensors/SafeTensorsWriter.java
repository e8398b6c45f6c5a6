package io.zero4j.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes one safetensors file from float32 tensors, narrowing to the chosen dtype in Java. The file
 * is written beside its target under a temporary name, forced to disk and renamed into place, so a
 * reader never sees half a file.
 */
public final class SafeTensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_ELEMENTS = 1 << 20;

    /** A tensor to write; its values are produced only when it is its turn. */
    public record Tensor(String name, long[] shape, Supplier<float[]> values) {
        long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private SafeTensorsWriter() {
    }

    /** Bytes the data section of these tensors takes in {@code dtype}. */
    public static long dataBytes(List<Tensor> tensors, DType dtype) {
        long total = 0;
        for (Tensor t : tensors) {
            total += t.elementCount() * dtype.bytes;
        }
        return total;
    }

    public static void write(Path target, List<Tensor> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        if (!dtype.isFloatWeight()) {
            throw new IllegalArgumentException("weights are written as " + DType.FLOAT_WEIGHTS + ", not " + dtype);
        }
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Tensor t : tensors) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", dtype.name());
            var shape = e.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long bytes = t.elementCount() * dtype.bytes;
            e.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // data section 8-byte aligned, padded with spaces
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, head);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                float[] v = t.values().get();
                if (v.length != t.elementCount()) {
                    throw new IllegalStateException("tensor " + t.name() + " has " + v.length + " values, shape needs "
                            + t.elementCount());
                }
                for (int start = 0; start < v.length; start += CHUNK_ELEMENTS) {
                    chunk.clear();
                    int stop = Math.min(v.length, start + CHUNK_ELEMENTS);
                    for (int i = start; i < stop; i++) {
                        switch (dtype) {
                            case F32 -> chunk.putFloat(v[i]);
                            case F16 -> chunk.putShort(HalfFloats.floatToF16(v[i]));
                            default -> chunk.putShort(HalfFloats.floatToBf16(v[i]));
                        }
                    }
                    chunk.flip();
                    writeFully(ch, chunk);
                }
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
