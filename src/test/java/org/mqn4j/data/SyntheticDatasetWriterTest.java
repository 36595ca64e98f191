package org.mqn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Referents add training records that share their photo: val and test, the images and the first records'
     * masks are byte for byte those written without referents; each added record points at its photo, has a
     * mask of its own, names another product, and the dataset passes {@link DataChecker} and reads back through
     * {@link MmpsSplitFile} with the added records' targets in their metadata.
     */
    @Test
    void referentsAddTrainingRecordsThatShareThePhoto(@TempDir Path tmp) throws IOException {
        Map<String, Integer> counts = Map.of("train", 12, "val", 3, "test", 5);
        SyntheticDatasetWriter.Summary plain = writer(5, 2).write(tmp.resolve("plain"), counts, false);
        SyntheticDatasetWriter.Summary with = new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(),
                SynthConfig.builder().size(48).seed(5).build()), 2, 3).write(tmp.resolve("ref"), counts, false);
        assertEquals(0, plain.referents());
        assertTrue(with.referents() > 0, "no referents in 12 photos");
        assertEquals(12 + with.referents(), with.counts().get("train"));
        assertEquals(plain.counts().get("test"), with.counts().get("test"));
        Map<String, byte[]> a = files(tmp.resolve("plain"));
        Map<String, byte[]> b = files(tmp.resolve("ref"));
        for (String f : a.keySet()) {
            if (!f.equals("train.jsonl")) {
                assertArrayEquals(a.get(f), b.get(f), f);
            }
        }
        List<String> added = b.keySet().stream().filter(f -> !a.containsKey(f)).toList();
        assertEquals(with.referents(), added.size(), added.toString());
        assertTrue(added.stream().allMatch(f -> f.matches("masks/train_\\d{6}_r[123]\\.png")), added.toString());

        List<String> plainLines = Files.readAllLines(tmp.resolve("plain/train.jsonl"));
        List<String> lines = Files.readAllLines(tmp.resolve("ref/train.jsonl"));
        assertEquals(plainLines, lines.stream().filter(l -> !l.contains("_r")).toList());
        DataChecker.Report report = new DataChecker(tmp.resolve("ref"), 2).check(List.of(), false);
        assertEquals(List.of(), report.problems());
        List<MmpsRecord> records = MmpsSplitFile.read(tmp.resolve("ref"), "train").records();
        for (MmpsRecord r : records) {
            if (!r.id().contains("_r")) {
                continue;
            }
            MmpsRecord photo = records.stream().filter(p -> r.id().startsWith(p.id() + "_r")).findFirst().orElseThrow();
            assertEquals(photo.image(), r.image(), r.id());
            assertEquals(tmp.resolve("ref/masks/" + r.id() + ".png"), r.mask(), r.id());
            assertNotEquals(photo.title(), r.title(), r.id());
            assertNotEquals(photo.metadata().get("target"), r.metadata().get("target"), r.id());
        }
        assertThrows(IllegalArgumentException.class, () -> new SyntheticDatasetWriter(new SyntheticProducts(
                Vocabulary.standard(), SynthConfig.builder().size(48).build()), 1, 4));
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
