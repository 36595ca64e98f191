package org.mqn4j.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr for long work: {@code [#####.....] 512/1000 51% 34.2 it/s ETA 0:14 loss 0.41}.
 * On a terminal it redraws one line; otherwise (logs, CI) it prints a line every 10% and at least once a minute
 * (a long epoch's log would otherwise stay silent for many minutes).
 * Not thread-safe: call from the thread that does the work.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean tty;
    /** Longest silence of a log (not a terminal) while work goes on. */
    static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private final LongSupplier clock;
    private final long start;
    private long done;
    private long lastDraw;
    private int lastDecile = -1;
    private String suffix = "";

    public Progress(String label, long total) {
        this(label, total, System.err, System.console() != null);
    }

    public Progress(String label, long total, PrintStream out, boolean tty) {
        this(label, total, out, tty, System::nanoTime);
    }

    Progress(String label, long total, PrintStream out, boolean tty, LongSupplier clock) {
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start;
        this.label = label;
        this.total = Math.max(total, 0);
        this.out = out;
        this.tty = tty;
    }

    /** Sets free text shown after the counters, e.g. the current loss. */
    public Progress status(String text) {
        this.suffix = text == null ? "" : text;
        return this;
    }

    public void step() {
        advance(1);
    }

    public void advance(long n) {
        done += n;
        long now = clock.getAsLong();
        int decile = total > 0 ? (int) (10 * done / total) : 0;
        if (tty) {
            if (now - lastDraw > 100_000_000L || done >= total) {
                lastDraw = now;
                out.print("\r" + line());
                out.flush();
            }
        } else if (decile != lastDecile || now - lastDraw >= LOG_INTERVAL_NANOS) {
            lastDecile = decile;
            lastDraw = now;
            out.println(line());
        }
    }

    /** Seconds since the bar was created. */
    public double elapsedSeconds() {
        return (clock.getAsLong() - start) / 1e9;
    }

    String line() {
        double secs = elapsedSeconds();
        double rate = secs > 0 ? done / secs : 0;
        int width = 24;
        int filled = total > 0 ? (int) Math.min(width, width * done / total) : 0;
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String eta = rate > 0 && total > done ? clock((total - done) / rate) : "-";
        return String.format(Locale.ROOT, "%s [%s] %d/%d %3d%% %.1f it/s ETA %s %s",
                label, bar, done, total, total > 0 ? 100 * done / total : 0, rate, eta, suffix).stripTrailing();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (tty) {
            out.print("\r" + line());
            out.println();
        } else if (lastDecile != 10) {
            out.println(line());
        }
        out.flush();
    }
}
