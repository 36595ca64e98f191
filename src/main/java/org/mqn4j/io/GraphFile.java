package org.mqn4j.io;

import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * A SameDiff graph file (FlatBuffers, {@code .sd}): saved atomically (a temporary file in the same
 * folder, then a rename, so a reader or a killed writer never leaves a half-written file under the
 * final name) and loaded with a clear {@link MqnException} naming the file when it is missing,
 * truncated or not a graph.
 */
public final class GraphFile {
    private GraphFile() {
    }

    /** Saves {@code sd} (with the updater state if asked) to {@code file} atomically. */
    public static void save(SameDiff sd, Path file, boolean withUpdaterState) {
        writeAtomically(file, tmp -> sd.save(tmp.toFile(), withUpdaterState));
    }

    /** Loads a graph, with its updater state if asked. */
    public static SameDiff load(Path file, boolean withUpdaterState) {
        if (!Files.isRegularFile(file)) {
            throw new MqnException("model file " + file + " does not exist");
        }
        try {
            return SameDiff.load(file.toFile(), withUpdaterState);
        } catch (RuntimeException | LinkageError e) {
            throw new MqnException("cannot load model file " + file + ": it is damaged or not a SameDiff graph ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())) + ")", e);
        }
    }

    /** Writes a file through {@code writer} into a temporary sibling, then renames it over {@code target}. */
    public static void writeAtomically(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.createDirectories(abs.getParent());
            writer.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new MqnException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** CRC-32 of a file's bytes. */
    public static long crc32(Path file) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new MqnException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return crc.getValue();
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws IOException;
    }
}
