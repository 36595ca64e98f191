package org.mqn4j.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MmpsSplitFileTest {
    private static final Path ROOT = Path.of("/data/mmps");

    private static MmpsSplitFile parse(String text) {
        return MmpsSplitFile.parse(ROOT, "test", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void goodLinesBecomeRecordsWithMetadata() {
        MmpsSplitFile f = parse("\uFEFF{\"id\":\"a\",\"image\":\"images/a.jpg\",\"mask\":\"masks/a.png\",\"title\":\"红色 杯\","
                + "\"target\":{\"color\":\"red\"},\"distractors\":[1,2],\"n_distractors\":2}\r\n\n"
                + "{\"id\":\"b\",\"image\":\"images/b.jpg\",\"mask\":\"masks/b.png\",\"title\":\"\"}\n");
        assertEquals(List.of(), f.problems());
        assertEquals(2, f.records().size());
        MmpsRecord a = f.records().get(0);
        assertEquals("a", a.id());
        assertEquals(1, a.line());
        assertEquals(ROOT.resolve("images/a.jpg"), a.image());
        assertEquals("红色 杯", a.title());
        assertEquals(Map.of("color", "red"), a.metadata().get("target"));
        assertEquals(List.of(1, 2), a.metadata().get("distractors"));
        assertEquals(2, a.metadata().get("n_distractors"));
        assertEquals(List.of("target", "distractors", "n_distractors"), List.copyOf(a.metadata().keySet()));
        assertEquals(3, f.records().get(1).line(), "blank line 2 counts");
        assertEquals("", f.records().get(1).title());
    }

    @Test
    void everyBadLineIsReportedWithItsLine() {
        String good = "{\"id\":\"a\",\"image\":\"i/a.jpg\",\"mask\":\"m/a.png\",\"title\":\"t\"}\n";
        byte[] utf8 = "{\"id\":\"u\",\"image\":\"i/u.jpg\",\"mask\":\"m/u.png\",\"title\":\"caf\u00e9\"}\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] invalid = new byte[utf8.length - 1];  // drop the second byte of é: C3 followed by '"'
        int k = 0;
        for (int i = 0; i < utf8.length; i++) {
            if (i > 0 && (utf8[i - 1] & 0xff) == 0xC3) {
                continue;
            }
            invalid[k++] = utf8[i];
        }
        String rest = "{\"id\":\"b\",\"image\":\"i/b.jpg\",\"mask\":\"m/b.png\"\n"             // 3 bad JSON
                + "[1,2]\n"                                                                    // 4 not an object
                + "{\"id\":\"c\",\"image\":\"i/c.jpg\",\"title\":\"t\"}\n"                     // 5 no mask
                + "{\"id\":7,\"image\":\"i/d.jpg\",\"mask\":\"m/d.png\",\"title\":\"t\"}\n"    // 6 id not a string
                + "{\"id\":\"a\",\"image\":\"i/e.jpg\",\"mask\":\"m/e.png\",\"title\":\"t\"}\n" // 7 duplicate
                + "{\"id\":\"f\",\"image\":\"/abs/f.jpg\",\"mask\":\"m/f.png\",\"title\":\"t\"}\n"; // 8 absolute
        byte[] g = good.getBytes(StandardCharsets.UTF_8);
        byte[] r = rest.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[g.length + invalid.length + r.length];
        System.arraycopy(g, 0, all, 0, g.length);
        System.arraycopy(invalid, 0, all, g.length, invalid.length);
        System.arraycopy(r, 0, all, g.length + invalid.length, r.length);
        MmpsSplitFile f = MmpsSplitFile.parse(ROOT, "test", all);
        assertEquals(1, f.records().size());
        List<DataProblem> p = f.problems();
        assertEquals(7, p.size(), p.toString());
        assertEquals(2, p.get(0).line());
        assertTrue(p.get(0).message().startsWith("invalid UTF-8"), p.get(0).toString());
        assertNull(p.get(0).id());
        assertEquals(3, p.get(1).line());
        assertTrue(p.get(1).message().startsWith("bad JSON"), p.get(1).toString());
        assertEquals(4, p.get(2).line());
        assertEquals(5, p.get(3).line());
        assertEquals("c", p.get(3).id());
        assertTrue(p.get(3).message().contains("missing required field \"mask\""));
        assertEquals(6, p.get(4).line());
        assertTrue(p.get(4).message().contains("\"id\" must be a string"));
        assertEquals(7, p.get(5).line());
        assertEquals("test.jsonl:7 [a] ERROR duplicate id, first seen at test.jsonl:1", p.get(5).toString());
        assertEquals(8, p.get(6).line());
        assertTrue(p.get(6).message().contains("relative"), p.get(6).toString());
    }

    @Test
    void twoObjectsOnOneLineAreABadLine() {
        MmpsSplitFile f = parse("{\"id\":\"a\",\"image\":\"i/a.jpg\",\"mask\":\"m/a.png\",\"title\":\"t\"}"
                + "{\"id\":\"b\",\"image\":\"i/b.jpg\",\"mask\":\"m/b.png\",\"title\":\"t\"}\n");
        assertEquals(0, f.records().size());
        assertTrue(f.problems().get(0).message().startsWith("bad JSON"), f.problems().toString());
    }

    @Test
    void absolutePathsAreErrors() {
        MmpsSplitFile f = parse("{\"id\":\"f\",\"image\":\"/abs/f.jpg\",\"mask\":\"m/f.png\",\"title\":\"t\"}\n");
        assertEquals(0, f.records().size());
        assertTrue(f.problems().get(0).message().contains("relative"), f.problems().toString());
    }

    @Test
    void emptyFileIsAWarning() {
        MmpsSplitFile f = parse("\n\n");
        assertEquals(1, f.problems().size());
        assertEquals(DataProblem.Severity.WARNING, f.problems().get(0).severity());
    }
}
