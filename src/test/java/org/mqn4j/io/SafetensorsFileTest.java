package org.mqn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    /** A file made by hand: 8-byte length, the header text, then {@code data}. */
    private Path file(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private String error(Path p) {
        return assertThrows(MqnException.class, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                f.names().forEach(f::get);
            }
        }).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "message lacks '" + part + "': " + message);
        }
    }

    @Test
    void readsHandMadeFile() throws IOException {
        Path p = file("ok.safetensors", "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2, 3, 4));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("a", "b"), List.copyOf(f.names()), "file order, not header order");
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertArrayEquals(new long[]{2}, f.shape("b"));
            assertEquals("F32", f.dtype("a"));
            assertArrayEquals(new float[]{1, 2}, f.get("a").toFloatVector());
            assertArrayEquals(new float[]{3, 4}, f.get("b").toFloatVector());
        }
    }

    @Test
    void missingFile() {
        assertMentions(error(dir.resolve("nope.safetensors")), "nope.safetensors", "does not exist");
    }

    @Test
    void truncatedBeforeHeaderLength() throws IOException {
        Path p = dir.resolve("short.safetensors");
        Files.write(p, new byte[]{1, 2, 3});
        assertMentions(error(p), "short.safetensors", "truncated", "3 bytes");
    }

    @Test
    void headerLengthLargerThanFile() throws IOException {
        Path p = dir.resolve("long.safetensors");
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).putInt(0);
        Files.write(p, b.array());
        assertMentions(error(p), "long.safetensors", "header length of 1000", "larger than the 4 bytes");
        ByteBuffer huge = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putInt(0);
        Files.write(p, huge.array());
        assertMentions(error(p), "18446744073709551615");
    }

    @Test
    void headerNotJson() throws IOException {
        assertMentions(error(file("bad.safetensors", "{\"a\": [1, 2", new byte[0])), "bad.safetensors", "not valid JSON");
        assertMentions(error(file("arr.safetensors", "[1, 2]", new byte[0])), "arr.safetensors", "not a JSON object");
        assertMentions(error(file("dup.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1))), "not valid JSON", "Duplicate");
        assertMentions(error(file("meta.safetensors", "{\"__metadata__\":{\"k\":3}}", new byte[0])), "__metadata__", "'k'");
        assertMentions(error(file("entry.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", floats(1))),
                "tensor 'w'", "entry.safetensors", "data_offsets");
    }

    @Test
    void offsetsPastTheEnd() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        assertMentions(error(file("trunc.safetensors", h, floats(1, 2))), "tensor 'w'", "trunc.safetensors",
                "past the end", "8 bytes");
    }

    @Test
    void offsetsOutOfOrder() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";
        assertMentions(error(file("order.safetensors", h, floats(1, 2))), "tensor 'w'", "out of order");
        assertMentions(error(file("neg.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}",
                floats(1))), "tensor 'w'", "non-negative");
    }

    @Test
    void overlappingTensors() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertMentions(error(file("overlap.safetensors", h, floats(1, 2, 3))), "overlap", "'a'", "'b'", "[4, 12]");
    }

    @Test
    void gapsAndTrailingBytes() throws IOException {
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertMentions(error(file("gap.safetensors", gap, floats(1, 2))), "gap of 4 bytes", "'a'");
        String trailing = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertMentions(error(file("trail.safetensors", trailing, floats(1, 2))), "4 bytes after its last tensor 'a'");
    }

    @Test
    void byteSizeMismatch() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}";
        assertMentions(error(file("size.safetensors", h, floats(1, 2))), "tensor 'w'", "size.safetensors",
                "[2, 3]", "F16", "needs 12 bytes", "hold 8");
        String huge = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}";
        assertMentions(error(file("huge.safetensors", huge, floats(1, 2))), "tensor 'w'", "too large");
        String negative = "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}";
        assertMentions(error(file("negshape.safetensors", negative, floats(1, 2))), "tensor 'w'", "non-negative");
    }

    @Test
    void unknownDtype() throws IOException {
        String h = "{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}";
        assertMentions(error(file("dtype.safetensors", h, floats(1))), "tensor 'q'", "dtype.safetensors",
                "unknown or unsupported dtype 'F8_E4M3'");
    }

    @Test
    void missingTensor() throws IOException {
        Path p = file("few.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertFalse(f.contains("b"));
            assertMentions(assertThrows(MqnException.class, () -> f.get("b")).getMessage(),
                    "no tensor 'b'", "few.safetensors", "1 tensors", "a");
            assertMentions(assertThrows(MqnException.class, () -> f.shape("b")).getMessage(), "no tensor 'b'");
        }
    }

    @Test
    void emptyFileHeaderOnly() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file("empty.safetensors", "{}", new byte[0]))) {
            assertTrue(f.names().isEmpty());
            assertTrue(f.metadata().isEmpty());
        }
    }

    @Test
    void roundTripThroughWriter() throws IOException {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("w", Nd4j.arange(24).castTo(DataType.FLOAT).subi(3).muli(0.5).reshape(2, 3, 4));
        t.put("view", Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 4).transpose()); // not C-ordered memory
        t.put("idx", Nd4j.createFromArray(new long[]{-(1L << 62), 0, 1L << 40}).reshape(3, 1));
        t.put("d", Nd4j.createFromArray(0.1, -2e300));
        t.put("i", Nd4j.createFromArray(7, -8));
        t.put("h", Nd4j.createFromArray(1.5f, -0.25f, 65504f).castTo(DataType.HALF));
        t.put("s", Nd4j.scalar(3.5f));
        t.put("z", Nd4j.create(DataType.FLOAT, 0, 3));
        Path p = dir.resolve("sub/rt.safetensors");
        SafetensorsWriter.write(p, t, Map.of("who", "test"));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.copyOf(t.keySet()), List.copyOf(f.names()));
            assertEquals(Map.of("who", "test"), f.metadata());
            assertEquals("F16", f.dtype("h"));
            assertEquals("I64", f.dtype("idx"));
            for (String k : t.keySet()) {
                INDArray expected = k.equals("h") ? t.get(k).castTo(DataType.FLOAT) : t.get(k);
                INDArray got = f.get(k);
                assertArrayEquals(expected.shape(), got.shape(), k);
                assertEquals(expected.dataType(), got.dataType(), k);
                assertEquals(expected, got, k);
            }
        }
        try (var s = Files.list(p.getParent())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void writerRejectsUnwritableTypes() {
        Path p = dir.resolve("x.safetensors");
        String m = assertThrows(MqnException.class, () -> SafetensorsWriter.write(p,
                Map.of("u", Nd4j.create(DataType.UTF8, 0)), null)).getMessage();
        assertMentions(m, "tensor 'u'", "UTF8");
        assertFalse(Files.exists(p));
        SafetensorsWriter.write(p, Map.of("a", Nd4j.scalar(1f)), null);
        assertThrows(MqnException.class, () -> SafetensorsWriter.write(p, Map.of("__metadata__", Nd4j.scalar(2f)), null));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(1f, f.get("a").getFloat(0), "a failed write leaves the previous file as it was");
        }
    }

    /** Reading and writing in many small chunks gives the same tensors as in one piece. */
    @Test
    void chunkedReadsAndWritesAgree() throws URISyntaxException {
        Path p = Path.of(getClass().getResource("/fixtures/io/torch_dtypes.safetensors").toURI());
        Map<String, INDArray> whole = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            f.names().forEach(n -> whole.put(n, f.get(n)));
        }
        int saved = NativeBytes.chunk;
        NativeBytes.chunk = 24;
        try {
            Path copy = dir.resolve("chunked.safetensors");
            SafetensorsWriter.write(copy, whole, null);
            try (SafetensorsFile f = SafetensorsFile.open(p); SafetensorsFile c = SafetensorsFile.open(copy)) {
                for (String n : whole.keySet()) {
                    assertSameBits(whole.get(n), f.get(n), n);
                    assertSameBits(whole.get(n), c.get(n), n);
                }
            }
        } finally {
            NativeBytes.chunk = saved;
        }
    }

    /** Equal shapes, types and values; floats compared bit for bit so that NaNs count as equal. */
    private static void assertSameBits(INDArray expected, INDArray got, String name) {
        assertArrayEquals(expected.shape(), got.shape(), name);
        assertEquals(expected.dataType(), got.dataType(), name);
        if (expected.dataType() == DataType.FLOAT && expected.length() > 0) {
            float[] e = expected.reshape(-1).toFloatVector();
            float[] g = got.reshape(-1).toFloatVector();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(g[i]), name + "[" + i + "]");
            }
        } else {
            assertEquals(expected, got, name);
        }
    }

    /** A sparse file over 4 GB: the tensor after the hole is read from past 2^32 bytes. */
    @Test
    void readsTensorBeyondFourGigabytes() throws IOException {
        long pad = (1L << 32) + 12;
        String h = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + pad + "],\"data_offsets\":[0," + pad + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + pad + "," + (pad + 8) + "]}}";
        Path p = file("big.safetensors", h, new byte[0]);
        long start = Files.size(p);
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(start + pad + 8);
            raf.seek(start + pad);
            raf.write(floats(6.5f, -1f));
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new long[]{pad}, f.shape("pad"));
            assertArrayEquals(new float[]{6.5f, -1f}, f.get("tail").toFloatVector());
        } finally {
            Files.delete(p);
        }
    }

    /** Tensors written by torch (tools/io_fixtures.py): values and half-precision widening bit for bit. */
    @Test
    void readsTorchFixture() throws URISyntaxException {
        Path p = Path.of(getClass().getResource("/fixtures/io/torch_dtypes.safetensors").toURI());
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals("tools/io_fixtures.py", f.metadata().get("source"));
            for (String h : List.of("f16", "bf16", "f16_bits", "bf16_bits")) {
                INDArray got = f.get(h);
                INDArray ref = f.get(h + "_as_f32");
                assertEquals(DataType.FLOAT, got.dataType());
                assertArrayEquals(ref.shape(), got.shape());
                float[] g = got.reshape(-1).toFloatVector();
                float[] r = ref.reshape(-1).toFloatVector();
                for (int i = 0; i < g.length; i++) {
                    int gb = Float.floatToRawIntBits(g[i]);
                    int rb = Float.floatToRawIntBits(r[i]);
                    if (gb != rb) {
                        throw new AssertionError(h + "[" + i + "]: got 0x" + Integer.toHexString(gb)
                                + ", torch 0x" + Integer.toHexString(rb));
                    }
                }
            }
            assertEquals(2 * 4 * 1024 + 2048, f.get("f16_bits").length(), "all exponent-0/1/30/31 patterns, 2048 others");
            assertEquals(2 * 4 * 128 + 2048, f.get("bf16_bits").length());
            float[] special = f.get("f16_as_f32").reshape(32).toFloatVector();
            assertArrayEquals(new float[]{0f, -0f, 1f, -2.5f, 65504f}, java.util.Arrays.copyOf(special, 5));
            assertEquals(Float.POSITIVE_INFINITY, special[8]);
            assertTrue(Float.isNaN(special[10]));
            INDArray i64 = f.get("i64");
            assertEquals(DataType.LONG, i64.dataType());
            assertArrayEquals(new long[]{0, 1, -1, 1L << 40, -(1L << 62), Long.MAX_VALUE}, i64.reshape(6).toLongVector());
            assertEquals(DataType.DOUBLE, f.get("f64").dataType());
            assertArrayEquals(new int[]{-7, 0, Integer.MAX_VALUE}, f.get("i32").toIntVector());
            assertEquals(255, f.get("u8").getInt(2));
            assertEquals(DataType.BOOL, f.get("bool").dataType());
            assertTrue(f.get("bool").getDouble(0, 0) != 0 && f.get("bool").getDouble(0, 1) == 0);
            assertEquals(0, f.get("scalar").rank());
            assertEquals(2.75f, f.get("scalar").getFloat(0), 0f);
            assertArrayEquals(new long[]{0, 3}, f.get("empty").shape());
        }
    }
}
