package io.zero4j.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only, memory-mapped safetensors file: an 8-byte little-endian header length, a JSON
 * header, then the raw tensor bytes. The header is validated when the file opens (length bound,
 * known dtypes, offsets inside the data, byte count = dtype size x element count, no overlap), so
 * a corrupt file fails with one line naming file and tensor before any weight is used. Tensor
 * bytes are mapped one tensor at a time; the file is never read onto the heap.
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** Upper bound on the JSON header, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafeTensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UserInputException(path + ": cannot open: " + e.getMessage());
        }
        try {
            return parse(path, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafeTensorsFile parse(Path path, FileChannel ch) {
        try {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw corrupt(path, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
                throw corrupt(path, "header length " + headerLen + " is outside (0, " + MAX_HEADER_BYTES + "]");
            }
            if (8 + headerLen > fileSize) {
                throw corrupt(path, "header length " + headerLen + " runs past the end of the " + fileSize + "-byte file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root;
            try {
                root = JSON.readTree(header.array());
            } catch (IOException e) {
                throw corrupt(path, "header is not valid JSON");
            }
            if (root == null || !root.isObject()) {
                throw corrupt(path, "header is not a JSON object");
            }
            long dataSize = fileSize - 8 - headerLen;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataSize));
            }
            checkNoOverlap(path, tensors);
            return new SafeTensorsFile(path, ch, 8 + headerLen, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new UserInputException(path + ": cannot read: " + e.getMessage());
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode node, long dataSize) {
        String where = "tensor '" + name + "'";
        DType dtype;
        try {
            dtype = DType.valueOf(node.path("dtype").asText(""));
        } catch (IllegalArgumentException e) {
            throw corrupt(path, where + " has unknown dtype " + node.get("dtype"));
        }
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw corrupt(path, where + " needs 'shape' (a list) and 'data_offsets' ([begin, end])");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).isIntegralNumber() || shapeNode.get(i).asLong() < 0) {
                throw corrupt(path, where + " has a bad shape " + shapeNode);
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin) {
            throw corrupt(path, where + " has bad data_offsets " + offsets);
        }
        if (end > dataSize) {
            throw corrupt(path, where + " ends at data byte " + end + " but the file holds only " + dataSize
                    + " data bytes (truncated?)");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(info.elementCount(), dtype.bytes);
        } catch (ArithmeticException e) {
            throw corrupt(path, where + " has an impossibly large shape " + shapeNode);
        }
        if (end - begin != expected) {
            throw corrupt(path, where + " spans " + (end - begin) + " bytes but " + dtype + " " + info.shapeString()
                    + " needs " + expected);
        }
        return info;
    }

    private static void checkNoOverlap(Path path, Map<String, TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw corrupt(path, "tensors '" + prev.name() + "' and '" + cur.name() + "' overlap (bytes "
                        + prev.begin() + "-" + prev.end() + " and " + cur.begin() + "-" + cur.end() + ")");
            }
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor's raw bytes, mapped read-only (little-endian). */
    public ByteBuffer mapRaw(TensorInfo t) {
        try {
            MappedByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), t.end() - t.begin());
            return b.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UserInputException(path + ": cannot map tensor '" + t.name() + "': " + e.getMessage());
        }
    }

    /**
     * The tensor as float32 values in a direct little-endian buffer: F32 is mapped straight from the
     * file, F16 and BF16 are widened in Java.
     */
    public FloatBuffer readFloats(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new UserInputException(path + ": tensor '" + name + "' is missing");
        }
        if (!t.dtype().isFloatWeight()) {
            throw new UserInputException(path + ": tensor '" + name + "' has dtype " + t.dtype()
                    + ", expected " + DType.FLOAT_WEIGHTS);
        }
        ByteBuffer raw = mapRaw(t);
        if (t.dtype() == DType.F32) {
            return raw.asFloatBuffer();
        }
        int n = Math.toIntExact(t.elementCount());
        FloatBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        boolean bf16 = t.dtype() == DType.BF16;
        for (int i = 0; i < n; i++) {
            short s = raw.getShort(i * 2);
            out.put(i, bf16 ? HalfFloats.bf16ToFloat(s) : HalfFloats.f16ToFloat(s));
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
        buf.flip();
    }

    private static UserInputException corrupt(Path path, String what) {
        return new UserInputException(path + ": corrupt safetensors: " + what);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a read-only channel cannot lose data
        }
    }
}
