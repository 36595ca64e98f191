package org.mqn4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs {@code mqn} commands in-process with stdout captured ({@link #stdout()}) and picocli's error stream in {@link #err}. */
abstract class CommandTestBase {
    protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
    protected final StringWriter err = new StringWriter();
    private PrintStream savedOut;

    @BeforeEach
    void captureStdout() {
        savedOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(savedOut);
    }

    /** Runs one command line; returns its exit status. */
    protected int run(String... args) {
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    protected String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
