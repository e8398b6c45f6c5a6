package io.zero4j.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static float[] randomValues(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6) - 3));
        }
        v[0] = 0f;
        v[1] = -0f;
        v[2] = 65504f; // largest finite half
        return v;
    }

    private static float[] read(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void roundTripsEachFloatType(DType dtype) throws IOException {
        float[] a = randomValues(6 * 7, 1);
        float[] b = randomValues(5, 2);
        Path file = dir.resolve("t.safetensors");
        SafeTensorsWriter.write(file, List.of(
                new SafeTensorsWriter.Tensor("a", new long[] {6, 7}, () -> a),
                new SafeTensorsWriter.Tensor("b", new long[] {5}, () -> b)), dtype, java.util.Map.of("format", "pt"));
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertEquals("pt", f.metadata().get("format"));
            assertEquals(dtype, f.tensors().get("a").dtype());
            assertArrayEquals(new long[] {6, 7}, f.tensors().get("a").shape());
            float[] ra = read(f.readFloats("a"));
            for (int i = 0; i < a.length; i++) {
                float expected = switch (dtype) {
                    case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(a[i]));
                    case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(a[i]));
                    default -> a[i];
                };
                assertEquals(expected, ra[i], 0f, "element " + i);
                double tolerance = dtype == DType.F32 ? 0 : dtype == DType.F16 ? 1e-3 : 8e-3;
                if (Math.abs(a[i]) > 1e-4) {
                    assertEquals(a[i], ra[i], tolerance * Math.abs(a[i]), "element " + i + " precision");
                }
            }
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ra[1]), "sign of zero kept");
        }
    }

    @Test
    void halfConversionsMatchKnownBitPatterns() {
        assertEquals((short) 0x3C00, HalfFloats.floatToF16(1f));
        assertEquals((short) 0xC000, HalfFloats.floatToF16(-2f));
        assertEquals((short) 0x7BFF, HalfFloats.floatToF16(65504f));
        assertEquals((short) 0x7C00, HalfFloats.floatToF16(1e6f));
        assertEquals((short) 0x0001, HalfFloats.floatToF16(5.9604645e-8f)); // smallest subnormal
        assertEquals(5.9604645e-8f, HalfFloats.f16ToFloat((short) 0x0001), 0f);
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(1f));
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000))); // tie to even
        assertEquals((short) 0x3F82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000))); // tie to even, up
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))));
    }

    @Test
    void shardedIndexRoundTrips() throws IOException {
        List<SafeTensorsWriter.Tensor> tensors = List.of(
                new SafeTensorsWriter.Tensor("x", new long[] {100}, () -> randomValues(100, 3)),
                new SafeTensorsWriter.Tensor("y", new long[] {10, 10}, () -> randomValues(100, 4)),
                new SafeTensorsWriter.Tensor("z", new long[] {50}, () -> randomValues(50, 5)));
        WeightFiles.write(dir, tensors, DType.F32, 900); // x and y fill the first shard, z the second
        assertTrue(Files.exists(dir.resolve(WeightFiles.INDEX)));
        assertTrue(Files.exists(dir.resolve("model-00001-of-00002.safetensors")));
        assertFalse(Files.exists(dir.resolve(WeightFiles.SINGLE)));
        try (WeightFiles w = WeightFiles.open(dir)) {
            assertArrayEquals(randomValues(100, 4), read(w.readFloats("y")));
            assertArrayEquals(randomValues(50, 5), read(w.readFloats("z")));
            assertTrue(w.fileOf("z").getFileName().toString().startsWith("model-00002"));
        }
        // a later, smaller export replaces the shards with one file
        WeightFiles.write(dir, tensors, DType.F32, 1 << 20);
        assertFalse(Files.exists(dir.resolve(WeightFiles.INDEX)));
        assertFalse(Files.exists(dir.resolve("model-00001-of-00002.safetensors")));
        try (WeightFiles w = WeightFiles.open(dir)) {
            assertArrayEquals(randomValues(100, 3), read(w.readFloats("x")));
        }
    }

    // ---- corruption: each case gives its own one-line error naming the file ----

    private Path writeRaw(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private String errorOf(Path f) {
        UserInputException e = assertThrows(UserInputException.class, () -> SafeTensorsFile.open(f).close());
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void truncatedFile() throws IOException {
        Path f = writeRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 5));
        String msg = errorOf(f);
        assertTrue(msg.contains("tensor 'w'") && msg.contains("truncated"), msg);
    }

    @Test
    void headerLengthPastEnd() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).putLong(0);
        Files.write(f, b.array());
        assertTrue(errorOf(f).contains("runs past the end"));
        b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).putLong(0);
        Files.write(f, b.array());
        assertTrue(errorOf(f).contains("header length"));
    }

    @Test
    void overlappingOffsets() throws IOException {
        Path f = writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16);
        String msg = errorOf(f);
        assertTrue(msg.contains("overlap") && msg.contains("'a'") && msg.contains("'b'"), msg);
    }

    @Test
    void byteCountDisagreesWithShape() throws IOException {
        Path f = writeRaw("{\"w\":{\"dtype\":\"F16\",\"shape\":[3,3],\"data_offsets\":[0,16]}}", 16);
        String msg = errorOf(f);
        assertTrue(msg.contains("tensor 'w'") && msg.contains("needs 18"), msg);
    }

    @Test
    void unknownDtypeAndBadJson() throws IOException {
        assertTrue(errorOf(writeRaw("{\"w\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1))
                .contains("unknown dtype"));
        assertTrue(errorOf(writeRaw("{not json", 0)).contains("not valid JSON"));
    }

    @Test
    void missingTensorAndShardNamedInIndex() throws IOException {
        WeightFiles.write(dir, List.of(new SafeTensorsWriter.Tensor("x", new long[] {2}, () -> new float[2])),
                DType.F32, 1 << 20);
        try (WeightFiles w = WeightFiles.open(dir)) {
            UserInputException e = assertThrows(UserInputException.class, () -> w.readFloats("nope"));
            assertTrue(e.getMessage().contains("'nope'"));
        }
        Files.writeString(dir.resolve(WeightFiles.INDEX), "{\"weight_map\":{\"x\":\"gone.safetensors\"}}");
        UserInputException e = assertThrows(UserInputException.class, () -> WeightFiles.open(dir));
        assertTrue(e.getMessage().contains("gone.safetensors") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
