package org.mqn4j.util;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Times a piece of work the way every {@code mqn bench} command does: untimed warm-up runs, then
 * timed runs, the median reported; peak memory of the phase from {@link PeakMemory}. A full GC
 * (untimed) precedes every run, because ND4J frees an off-heap buffer only when its Java object is
 * collected and resident memory otherwise grows run after run.
 */
public final class Benchmark {

    /** Timings of one phase in milliseconds and its peak memory in bytes. */
    public record Phase(String name, int batch, double medianMs, double minMs, double[] runsMs,
                        long peakRssBytes, long peakHeapBytes) {
    }

    private Benchmark() {
    }

    /** Runs {@code work} warmup + runs times, logging each run to {@code log}. */
    public static Phase time(String name, int batch, int warmup, int runs, PrintStream log, Runnable work) {
        releaseGarbage();
        PeakMemory.reset();
        for (int i = 0; i < warmup; i++) {
            releaseGarbage();
            long t0 = System.nanoTime();
            work.run();
            log.printf("  %s batch %d warm-up %d/%d: %.0f ms%n", name, batch, i + 1, warmup, (System.nanoTime() - t0) / 1e6);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            releaseGarbage();
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            log.printf("  %s batch %d run %d/%d: %.0f ms%n", name, batch, i + 1, runs, ms[i]);
        }
        return new Phase(name, batch, median(ms), Arrays.stream(ms).min().orElse(Double.NaN), ms,
                PeakMemory.peakRssBytes(), PeakMemory.peakHeapBytes());
    }

    /** Collects garbage so that ND4J releases the off-heap buffers of dropped arrays. */
    public static void releaseGarbage() {
        System.gc();
        System.runFinalization();
        System.gc();
    }

    /** Prints the phases as an aligned table (median, min, peak memory). */
    public static void printTable(PrintStream out, java.util.List<Phase> phases) {
        out.printf(java.util.Locale.ROOT, "%-22s %5s %12s %10s %14s %14s%n", "phase", "batch", "median ms", "min ms",
                "peak RSS MB", "peak heap MB");
        for (Phase p : phases) {
            out.printf(java.util.Locale.ROOT, "%-22s %5d %12.1f %10.1f %14.0f %14.0f%n", p.name(), p.batch(), p.medianMs(),
                    p.minMs(), p.peakRssBytes() / 1048576.0, p.peakHeapBytes() / 1048576.0);
        }
    }

    /** Median of the values (mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
