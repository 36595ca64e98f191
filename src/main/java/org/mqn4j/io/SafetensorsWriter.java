package org.mqn4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.util.MqnException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes ND4J arrays as a safetensors file that HuggingFace's {@code safetensors} and
 * {@link SafetensorsFile} read. The file appears atomically: it is written to a temporary file
 * beside the target and renamed, so a failure never leaves a half-written checkpoint.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} (in the map's iteration order) and the string {@code metadata}
     * (may be null or empty) to {@code path}. FLOAT, DOUBLE, HALF, BFLOAT16, LONG, INT, SHORT,
     * BYTE, UBYTE and BOOL arrays keep their type.
     */
    public static void write(Path path, Map<String, INDArray> tensors, Map<String, String> metadata) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
            String name = t.getKey();
            INDArray a = t.getValue();
            if (name.equals("__metadata__")) {
                throw new MqnException("cannot write " + path + ": '__metadata__' is not a valid tensor name");
            }
            SafetensorsDtype dtype = SafetensorsDtype.forWriting(a.dataType());
            if (dtype == null) {
                throw new MqnException("cannot write tensor '" + name + "' to " + path + ": data type "
                        + a.dataType() + " has no safetensors dtype");
            }
            ObjectNode e = header.putObject(name);
            e.put("dtype", dtype.name());
            ArrayNode shape = e.putArray("shape");
            for (long s : a.shape()) {
                shape.add(s);
            }
            long bytes = a.length() * dtype.bytes();
            e.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MqnException("cannot write " + path + ": " + e.getMessage(), e);
        }
        int padded = (json.length + 7) / 8 * 8; // the data starts 8-byte aligned, as the reference writer does
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, path.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) {
                    head.put((byte) ' ');
                }
                head.flip();
                writeFully(ch, head);
                for (INDArray a : tensors.values()) {
                    writeData(ch, a);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new MqnException("cannot write " + path + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more
                }
            }
        }
    }

    private static void writeData(FileChannel ch, INDArray a) throws IOException {
        if (a.length() == 0 || a.isEmpty()) {
            return;
        }
        INDArray c = a.dup('c'); // a fresh dense copy: views and f-order arrays become plain memory
        long total = c.length() * c.dataType().width();
        for (long off = 0; off < total; off += NativeBytes.chunk) {
            int len = (int) Math.min(NativeBytes.chunk, total - off);
            writeFully(ch, NativeBytes.window(c, off, len));
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
