package org.mqn4j.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StdoutGuardTest {
    @Test
    void dropsGradientGraphLinesAndForwardsTheRest() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            String r = StdoutGuard.toStderr(() -> {
                System.out.println("Added differentiated op matmul_bp");
                System.out.println("红色 result line");
                System.out.print("Added differentiated op reshape\nlast");
                return "done";
            });
            assertEquals("done", r);
        } finally {
            System.setErr(err);
        }
        assertEquals("红色 result line\nlast", sink.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
