package org.mqn4j.util;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Keeps framework noise off stdout: ND4J prints "Added differentiated op" lines to stdout while it
 * builds a gradient graph, and stdout belongs to a command's results.
 */
public final class StdoutGuard {
    private StdoutGuard() {
    }

    /** Runs {@code work} with {@code System.out} sent to {@code System.err}. */
    public static synchronized <T> T toStderr(Supplier<T> work) {
        PrintStream out = System.out;
        System.setOut(System.err);
        try {
            return work.get();
        } finally {
            System.setOut(out);
        }
    }
}
