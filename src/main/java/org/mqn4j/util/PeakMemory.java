package org.mqn4j.util;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process over a phase of work: resident set size (Linux {@code VmHWM},
 * which counts ND4J's off-heap buffers) and JVM heap in use. {@link #reset()} starts a phase:
 * it clears the kernel's high-water mark (writing 5 to {@code /proc/self/clear_refs}) and the
 * heap pools' peaks.
 */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** Starts a new phase; returns false if the RSS high-water mark could not be reset. */
    public static boolean reset() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Peak resident set size in bytes since the last reset (or process start), -1 if unknown. */
    public static long peakRssBytes() {
        return procStatus("VmHWM:");
    }

    /** Current resident set size in bytes, -1 if unknown. */
    public static long rssBytes() {
        return procStatus("VmRSS:");
    }

    /** Sum of the heap pools' peak usage since the last reset, in bytes. */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
