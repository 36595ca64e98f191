package org.mqn4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1_000L);

    private String[] lines() {
        String s = bytes.toString(StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? new String[0] : s.split("\n");
    }

    @Test
    void aLogGetsALineEveryTenthAndOneAtTheEnd() {
        try (Progress p = new Progress("job", 1000, out, false, now::get)) {
            for (int i = 0; i < 1000; i++) {
                now.addAndGet(1_000_000L);   // 1 ms a step: no minute passes
                p.step();
            }
        }
        String[] lines = lines();
        assertEquals(11, lines.length, String.join("\n", lines));   // 1/1000, then 100 .. 1000
        assertTrue(lines[10].startsWith("job [########################] 1000/1000 100% 1000.0 it/s"), lines[10]);
    }

    @Test
    void aSlowJobStillLogsOnceAMinute() {
        try (Progress p = new Progress("slow", 1000, out, false, now::get)) {
            p.step();   // decile 0: first line
            for (int i = 0; i < 50; i++) {   // 50 steps of 10 s: 500 s, still within the first tenth
                now.addAndGet(10_000_000_000L);
                p.step();
            }
            assertEquals(1 + 8, lines().length, bytes.toString(StandardCharsets.UTF_8));   // 60, 120, ... 480 s
            assertTrue(lines()[8].contains("slow [#.......................] 49/1000   4% 0.1 it/s ETA 2:"), lines()[8]);
        }
    }

    @Test
    void clockFormatsMinutesAndHours() {
        assertEquals("0:59", Progress.clock(59));
        assertEquals("2:05", Progress.clock(125));
        assertEquals("1:01:01", Progress.clock(3661));
    }
}
