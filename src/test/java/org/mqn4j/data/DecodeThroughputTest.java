package org.mqn4j.data;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Measures batch decoding speed on 128 px JPEGs (prints images/s; asserts only the count).
 * Run: mvn -Pslow test -Dtest=DecodeThroughputTest
 */
@Tag("slow")
class DecodeThroughputTest {
    @TempDir
    Path dir;

    @Test
    void imagesPerSecond() {
        int n = 600;
        Random rnd = new Random(1);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String id = String.format("b_%05d", i);
            int cx = 20 + rnd.nextInt(88);
            int cy = 20 + rnd.nextInt(88);
            int col = rnd.nextInt(0xFFFFFF);
            TestImages.rgb(dir.resolve("images/" + id + ".jpg"), 128, 128,
                    (x, y) -> (x - cx) * (x - cx) + (y - cy) * (y - cy) < 400 ? col : 0xF0F0F0 - (x + y) * 0x010101 / 4, "jpg");
            TestImages.grey(dir.resolve("masks/" + id + ".png"), 128, 128,
                    (x, y) -> (x - cx) * (x - cx) + (y - cy) * (y - cy) < 400 ? 255 : 0);
            jsonl.append(TestDatasets.line(id, "images/" + id + ".jpg", "masks/" + id + ".png", "t", ""));
        }
        try {
            java.nio.file.Files.writeString(dir.resolve("train.jsonl"), jsonl);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int size : new int[]{128, 224}) {
            for (int threads : new int[]{1, 2}) {
                try (MmpsBatchIterator it = MmpsBatchIterator.builder(dir, "train").size(size).batchSize(16)
                        .threads(threads).shuffle(3).build()) {
                    for (int e = 0; e < 2; e++) { // epoch 0 warms up
                        long t0 = System.nanoTime();
                        int count = 0;
                        while (it.hasNext()) {
                            count += it.next().size();
                        }
                        double secs = (System.nanoTime() - t0) / 1e9;
                        assertEquals(n, count);
                        if (e == 1) {
                            System.out.printf("decode 128px JPEG+PNG -> %dpx, %d thread(s): %.0f images/s%n",
                                    size, threads, count / secs);
                        }
                        it.reset();
                    }
                }
            }
        }
    }
}
