package org.mqn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticDatasetWriterTest {
    private static final Map<String, Integer> COUNTS = Map.of("train", 7, "val", 0, "test", 5);

    private static SyntheticDatasetWriter writer(long seed, int threads) {
        return new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(),
                SynthConfig.builder().size(48).seed(seed).build()), threads);
    }

    /** Every file under a directory with its bytes, by relative path. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void outputDoesNotDependOnThreadsButOnSeed(@TempDir Path tmp) throws IOException {
        writer(5, 1).write(tmp.resolve("one"), COUNTS, false);
        writer(5, 2).write(tmp.resolve("two"), COUNTS, false);
        writer(6, 2).write(tmp.resolve("other"), COUNTS, false);
        Map<String, byte[]> one = files(tmp.resolve("one"));
        Map<String, byte[]> two = files(tmp.resolve("two"));
        Map<String, byte[]> other = files(tmp.resolve("other"));
        assertEquals(one.keySet(), two.keySet());
        assertEquals(2 + 2 * 12, one.size(), one.keySet().toString()); // train/test jsonl, 12 images, 12 masks
        for (String f : one.keySet()) {
            assertArrayEquals(one.get(f), two.get(f), f);
        }
        assertEquals(one.keySet(), other.keySet());
        for (String f : one.keySet()) {
            assertFalse(java.util.Arrays.equals(one.get(f), other.get(f)), f + " is the same for seeds 5 and 6");
        }
    }

    @Test
    void refusesAnExistingDatasetUnlessForced(@TempDir Path tmp) throws IOException {
        writer(1, 2).write(tmp, COUNTS, false);
        byte[] before = Files.readAllBytes(tmp.resolve("train.jsonl"));
        MqnException e = assertThrows(MqnException.class, () -> writer(2, 2).write(tmp, COUNTS, false));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("train.jsonl")));

        Files.writeString(tmp.resolve("images/keep-me.txt"), "not ours");
        writer(2, 2).write(tmp, Map.of("train", 3, "test", 0), true);
        assertNotEquals(new String(before), Files.readString(tmp.resolve("train.jsonl")));
        assertFalse(Files.exists(tmp.resolve("test.jsonl")), "old test.jsonl must go with --force");
        assertFalse(Files.exists(tmp.resolve("images/train_000005.jpg")), "old samples must go with --force");
        assertTrue(Files.exists(tmp.resolve("images/keep-me.txt")), "files that are not ours stay");
        try (Stream<Path> s = Files.list(tmp.resolve("masks"))) {
            assertEquals(3, s.count());
        }
    }

    @Test
    void masksAreBinaryGreyPngs() {
        SyntheticProducts sp = new SyntheticProducts(Vocabulary.standard(), SynthConfig.builder().size(40).seed(3).build());
        SyntheticProducts.Sample s = sp.sample("train", 0);
        byte[] png = SyntheticDatasetWriter.maskPng(s.mask(), 40, 40);
        try {
            var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
            assertEquals(java.awt.image.BufferedImage.TYPE_BYTE_GRAY, img.getType());
            int on = 0;
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 40; x++) {
                    int v = img.getRaster().getSample(x, y, 0);
                    assertTrue(v == 0 || v == 255, "value " + v);
                    assertEquals(s.mask()[y * 40 + x] != 0, v == 255);
                    on += v == 255 ? 1 : 0;
                }
            }
            assertTrue(on > 0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
