package org.mqn4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mqn4j.util.MqnException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file (the format of HuggingFace's {@code safetensors}), read lazily: {@link #open}
 * parses and checks the header, {@link #get} memory-maps one tensor and copies it into an ND4J
 * array. Files over 2 GB work (each tensor is mapped on its own, in chunks of at most 1 GiB).
 *
 * <p>Layout: an unsigned little-endian 64-bit header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"k": "v"}}}), then the data, offsets counted from its start. As in the
 * reference implementation, the tensors must cover the data exactly: no overlap, no gap, nothing
 * after the last one. F16 and BF16 are widened to FLOAT exactly as torch's {@code .float()} does.
 *
 * <p>Every problem with the file is an {@link MqnException} naming the file and, where there is
 * one, the tensor.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Largest header accepted (the reference implementation's limit). */
    static final long MAX_HEADER = 100_000_000L;

    private record Entry(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {
    }

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens {@code path} and checks its header; the caller closes it. */
    public static SafetensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new MqnException("safetensors file " + path + " does not exist");
        } catch (IOException e) {
            throw new MqnException("cannot open safetensors file " + path + ": " + e.getMessage(), e);
        }
        try {
            return readHeader(path, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafetensorsFile readHeader(Path path, FileChannel ch) {
        try {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "is truncated: " + size + " bytes, but a safetensors file starts with an 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 0 || n > size - 8) {
                throw bad(path, "has a header length of " + Long.toUnsignedString(n) + " bytes, larger than the "
                        + (size - 8) + " bytes after it (truncated, or not a safetensors file)");
            }
            if (n > MAX_HEADER) {
                throw bad(path, "has a header of " + n + " bytes, over the limit of " + MAX_HEADER);
            }
            ByteBuffer head = ByteBuffer.allocate((int) n);
            readFully(ch, head, 8);
            String json = new String(head.array(), StandardCharsets.UTF_8);
            long dataLength = size - 8 - n;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> list = parseHeader(path, json, dataLength, metadata);
            checkLayout(path, list, dataLength);
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Entry e : list) {
                entries.put(e.name, e);
            }
            return new SafetensorsFile(path, ch, 8 + n, Collections.unmodifiableMap(entries),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new MqnException("cannot read safetensors file " + path + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> parseHeader(Path path, String json, long dataLength, Map<String, String> metadata) {
        JsonNode root;
        try {
            ObjectMapper om = new ObjectMapper();
            om.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = om.readTree(json);
        } catch (JsonProcessingException e) {
            throw bad(path, "has a header that is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad(path, "has a header that is not a JSON object");
        }
        List<Entry> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) {
                    throw bad(path, "has a __metadata__ that is not a JSON object");
                }
                v.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) {
                        throw bad(path, "has a non-string __metadata__ value for key '" + m.getKey() + "'");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            list.add(parseEntry(path, name, v, dataLength));
        }
        return list;
    }

    private static Entry parseEntry(Path path, String name, JsonNode v, long dataLength) {
        String where = "tensor '" + name + "' in " + path;
        if (!v.isObject() || !v.path("dtype").isTextual() || !v.path("shape").isArray()
                || !v.path("data_offsets").isArray() || v.path("data_offsets").size() != 2) {
            throw new MqnException(where + ": header entry must have a string \"dtype\", an array \"shape\" and "
                    + "\"data_offsets\" [begin, end], got " + v);
        }
        String code = v.get("dtype").asText();
        SafetensorsDtype dtype = SafetensorsDtype.fromCode(code);
        if (dtype == null) {
            throw new MqnException(where + ": unknown or unsupported dtype '" + code + "' (supported: "
                    + Arrays.toString(SafetensorsDtype.values()) + ")");
        }
        long[] shape = new long[v.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = v.get("shape").get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new MqnException(where + ": shape " + v.get("shape") + " must hold non-negative integers");
            }
            shape[i] = d.asLong();
        }
        JsonNode b = v.get("data_offsets").get(0);
        JsonNode e = v.get("data_offsets").get(1);
        if (!b.isIntegralNumber() || !e.isIntegralNumber() || !b.canConvertToLong() || !e.canConvertToLong()
                || b.asLong() < 0 || e.asLong() < 0) {
            throw new MqnException(where + ": data_offsets " + v.get("data_offsets") + " must be two non-negative integers");
        }
        long begin = b.asLong();
        long end = e.asLong();
        if (end < begin) {
            throw new MqnException(where + ": data_offsets [" + begin + ", " + end + "] are out of order (end before begin)");
        }
        long expected;
        try {
            expected = dtype.bytes();
            for (long s : shape) {
                expected = Math.multiplyExact(expected, s);
            }
        } catch (ArithmeticException ex) {
            throw new MqnException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (end - begin != expected) {
            throw new MqnException(where + ": shape " + Arrays.toString(shape) + " of dtype " + dtype + " needs "
                    + expected + " bytes, but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        if (end > dataLength) {
            throw new MqnException(where + ": data_offsets [" + begin + ", " + end + "] go past the end of the data ("
                    + dataLength + " bytes after the header): the file is truncated or the header is wrong");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Sorts entries into file order and checks they tile the data exactly, as the reference reader does. */
    private static void checkLayout(Path path, List<Entry> list, long dataLength) {
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry prev = null;
        for (Entry e : list) {
            if (e.begin < pos) {
                throw bad(path, "has overlapping tensors: '" + prev.name + "' [" + prev.begin + ", " + prev.end
                        + "] and '" + e.name + "' [" + e.begin + ", " + e.end + "]");
            }
            if (e.begin > pos) {
                throw bad(path, "has a gap of " + (e.begin - pos) + " bytes in its data before tensor '" + e.name
                        + "' [" + e.begin + ", " + e.end + "]" + (prev == null ? "" : " (after '" + prev.name
                        + "', which ends at " + prev.end + ")"));
            }
            pos = e.end;
            prev = e;
        }
        if (pos != dataLength) {
            throw bad(path, "has " + (dataLength - pos) + " bytes after its last tensor"
                    + (prev == null ? "" : " '" + prev.name + "'") + " that no header entry describes");
        }
    }

    /** Tensor names in file order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** Whether the file holds a tensor called {@code name}. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The shape of tensor {@code name}, as written in the header. */
    public long[] shape(String name) {
        return entry(name).shape.clone();
    }

    /** The dtype code of tensor {@code name} ("F32", "BF16", ...). */
    public String dtype(String name) {
        return entry(name).dtype.name();
    }

    /** All tensor shapes by name, in file order; reading them costs nothing. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        entries.forEach((k, e) -> m.put(k, e.shape.clone()));
        return m;
    }

    /** The string-to-string {@code __metadata__} of the header (empty if none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /**
     * Reads tensor {@code name} into a new C-ordered array: F32, F16 and BF16 as FLOAT, F64 as
     * DOUBLE, I64 as LONG, I32 as INT, I16 as SHORT, I8 as BYTE, U8 as UBYTE, BOOL as BOOL.
     */
    public INDArray get(String name) {
        Entry e = entry(name);
        if (closed) {
            throw new MqnException("cannot read tensor '" + name + "': " + path + " is closed");
        }
        INDArray out = Nd4j.createUninitialized(e.dtype.readAs(), e.shape, 'c');
        long count = e.end - e.begin;
        if (count == 0) {
            return out;
        }
        int outPerIn = e.dtype.readAs().width() / e.dtype.bytes();
        try {
            for (long off = 0; off < count; off += NativeBytes.chunk) {
                int len = (int) Math.min(NativeBytes.chunk, count - off);
                MappedByteBuffer src = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin + off, len);
                src.order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer dst = NativeBytes.window(out, off * outPerIn, len * outPerIn);
                switch (e.dtype) {
                    case F16 -> halfToFloat(src, dst.asIntBuffer());
                    case BF16 -> bfloatToFloat(src, dst.asIntBuffer());
                    default -> dst.put(src);
                }
            }
        } catch (IOException ex) {
            throw new MqnException("cannot read tensor '" + name + "' from " + path + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    /** Float bits of IEEE half {@code h}, exact (subnormals, infinities and NaN payloads included). */
    static int halfToFloatBits(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return sign | 0x7f800000 | (mant << 13) | (mant != 0 ? 0x400000 : 0); // NaN is quieted, as torch does
        }
        if (exp == 0) {
            if (mant == 0) {
                return sign;
            }
            return sign | Float.floatToRawIntBits(mant * 0x1p-24f); // exact: mant < 2^10
        }
        return sign | ((exp + 112) << 23) | (mant << 13);
    }

    private static void halfToFloat(ByteBuffer src, IntBuffer dst) {
        while (src.remaining() >= 2) {
            dst.put(halfToFloatBits(src.getShort() & 0xffff));
        }
    }

    private static void bfloatToFloat(ByteBuffer src, IntBuffer dst) {
        while (src.remaining() >= 2) {
            dst.put((src.getShort() & 0xffff) << 16);
        }
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            List<String> some = entries.keySet().stream().limit(5).toList();
            throw new MqnException("no tensor '" + name + "' in " + path + " (it holds " + entries.size()
                    + " tensors" + (some.isEmpty() ? "" : ", e.g. " + String.join(", ", some)) + ")");
        }
        return e;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += r;
        }
    }

    private static MqnException bad(Path path, String what) {
        return new MqnException("safetensors file " + path + " " + what);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to save
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + entries.size() + " tensors]";
    }
}
