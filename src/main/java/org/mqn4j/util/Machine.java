package org.mqn4j.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a benchmark or experiment report says about the machine it ran on (Linux /proc, else what Java knows). */
public final class Machine {
    private Machine() {
    }

    /**
     * E.g. "x86_64, 2 logical CPUs (Intel Xeon ..., AVX-512), 23.4 GiB RAM, Linux 6.1". The vector extension is
     * there because ND4J's kernels round differently with different vector widths, so the same training run
     * can end in a different model on another CPU.
     */
    public static String describe() {
        String cpu = procValue(Path.of("/proc/cpuinfo"), "model name");
        String vector = vectorExtension(procValue(Path.of("/proc/cpuinfo"), "flags"));
        if (cpu != null && vector != null) {
            cpu += ", " + vector;
        }
        long ram = kilobytes(procValue(Path.of("/proc/meminfo"), "MemTotal"));
        return String.format(Locale.ROOT, "%s, %d logical CPUs%s%s, %s %s", System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), cpu == null ? "" : " (" + cpu + ")",
                ram < 0 ? "" : String.format(Locale.ROOT, ", %.1f GiB RAM", ram / 1073741824.0),
                System.getProperty("os.name"), System.getProperty("os.version"));
    }

    /** The widest x86 vector extension named in a /proc/cpuinfo flags line (AVX-512, AVX2, AVX, SSE4.2), else null. */
    static String vectorExtension(String flags) {
        if (flags == null) {
            return null;
        }
        java.util.List<String> f = java.util.Arrays.asList(flags.trim().split("\\s+"));   // Set.of would throw on a repeated flag
        return f.contains("avx512f") ? "AVX-512" : f.contains("avx2") ? "AVX2" : f.contains("avx") ? "AVX"
                : f.contains("sse4_2") ? "SSE4.2" : null;
    }

    /** The 1-minute load average, NaN if unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** MemAvailable of /proc/meminfo in bytes (what can be allocated without swapping), -1 if unknown. */
    public static long availableMemoryBytes() {
        return kilobytes(procValue(Path.of("/proc/meminfo"), "MemAvailable"));
    }

    /** Resident set size of another process in bytes ({@code VmRSS} of /proc/PID/status), -1 if unknown or gone. */
    public static long rssBytes(long pid) {
        return kilobytes(procValue(Path.of("/proc", Long.toString(pid), "status"), "VmRSS"));
    }

    /** "123 kB" as bytes, -1 for null or unreadable. */
    private static long kilobytes(String v) {
        try {
            return v == null ? -1 : Long.parseLong(v.split("\\s+")[0]) * 1024;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String procValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
