package org.mqn4j.util;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Keeps framework noise off stdout: ND4J prints one "Added differentiated op" line per op to
 * stdout while it builds a gradient graph, and stdout belongs to a command's results. While
 * {@link #toStderr} runs, stdout goes to stderr with those lines dropped.
 */
public final class StdoutGuard {
    private static final String NOISE = "Added differentiated op";

    private StdoutGuard() {
    }

    /** Runs {@code work} with {@code System.out} sent to {@code System.err}, ND4J's gradient-graph lines dropped. */
    public static synchronized <T> T toStderr(Supplier<T> work) {
        PrintStream out = System.out;
        PrintStream filtered = new PrintStream(new NoiseFilter(System.err), true, StandardCharsets.UTF_8);
        System.setOut(filtered);
        try {
            return work.get();
        } finally {
            filtered.flush();
            System.setOut(out);
        }
    }

    /** Forwards whole lines, except ND4J's gradient-graph lines. */
    static final class NoiseFilter extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        NoiseFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flushLine();
            }
        }

        @Override
        public void flush() {
            flushLine();
            target.flush();
        }

        private void flushLine() {
            if (line.size() == 0) {
                return;
            }
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (!s.startsWith(NOISE)) {
                target.print(s);
            }
        }
    }
}
