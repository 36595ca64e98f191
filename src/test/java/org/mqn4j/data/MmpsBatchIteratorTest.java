package org.mqn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MmpsBatchIteratorTest {
    @TempDir
    Path dir;

    @Test
    void batchesMatchTheRecordReader() {
        TestDatasets.good(dir);
        List<INDArray> images = new ArrayList<>();
        List<INDArray> masks = new ArrayList<>();
        MmpsRecordReader reader = new MmpsRecordReader(dir, "test", 12, BadRecordPolicy.FAIL);
        while (reader.hasNext()) {
            var w = reader.next();
            images.add(((org.datavec.api.writable.NDArrayWritable) w.get(1)).get());
            masks.add(((org.datavec.api.writable.NDArrayWritable) w.get(2)).get());
        }
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(dir, "test").size(12).batchSize(2).threads(2).build()) {
            List<Integer> sizes = new ArrayList<>();
            int k = 0;
            while (it.hasNext()) {
                MmpsBatch b = it.next();
                sizes.add(b.size());
                assertArrayEquals(new long[]{b.size(), 3, 12, 12}, b.images().shape());
                assertArrayEquals(new long[]{b.size(), 1, 12, 12}, b.masks().shape());
                for (int i = 0; i < b.size(); i++, k++) {
                    assertEquals(TestDatasets.id(k), b.ids().get(i));
                    assertEquals(images.get(k).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)),
                            b.images().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)));
                    assertEquals(masks.get(k).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)),
                            b.masks().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)));
                }
            }
            assertEquals(List.of(2, 2, 1), sizes);
            assertEquals(TestDatasets.TITLE_0, it.skipped() == 0 ? firstTitle(it) : null);
        }
    }

    private static String firstTitle(MmpsBatchIterator it) {
        it.reset(0);
        return it.next().titles().get(0);
    }

    @Test
    void shuffleIsDeterministicPerSeedAndEpochWhateverTheThreads() {
        TestDatasets.good(dir);
        List<List<String>> a = epochs(1, 7L);
        List<List<String>> b = epochs(2, 7L);
        assertEquals(a, b);
        Set<List<String>> distinct = new HashSet<>(a);
        assertTrue(distinct.size() > 1, "epochs should differ: " + a);
        for (List<String> e : a) {
            assertEquals(5, new HashSet<>(e).size(), "each epoch is a permutation: " + e);
        }
        assertTrue(!a.equals(epochs(2, 8L)), "another seed, another order");
    }

    /**
     * Augmented batches depend only on (seed, epoch, position): equal with 1 or 2 threads and when an iterator
     * starts directly at epoch 2 (a resumed run), different between epochs, and the unaugmented images otherwise.
     */
    @Test
    void augmentationIsDeterministicPerSeedEpochAndPosition() {
        TestDatasets.good(dir);
        Augmentation aug = AugmentationTest.CONF;
        List<INDArray> one = augmentedImages(1, aug, 0);
        List<INDArray> two = augmentedImages(2, aug, 0);
        assertEquals(one, two);
        assertEquals(one.subList(2, 3), augmentedImages(2, aug, 2));
        assertTrue(!one.get(0).equals(one.get(1)), "epochs 0 and 1 draw different changes");
        List<INDArray> plain = augmentedImages(1, Augmentation.NONE, 0);
        assertTrue(!plain.get(0).equals(one.get(0)), "augmentation changes the images");
        assertEquals(plain.get(0), plain.get(1), "unaugmented epochs in file order are equal");
    }

    /** The first batch's images of epochs first..2 (no shuffling, so the same records every epoch). */
    private List<INDArray> augmentedImages(int threads, Augmentation aug, int first) {
        List<INDArray> out = new ArrayList<>();
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(dir, "test").size(8).batchSize(2)
                .threads(threads).augment(aug).build()) {
            for (int e = first; e < 3; e++) {
                it.reset(e);
                out.add(it.next().images().dup());
            }
        }
        return out;
    }

    private List<List<String>> epochs(int threads, long seed) {
        List<List<String>> out = new ArrayList<>();
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(dir, "test").size(8).batchSize(2)
                .threads(threads).shuffle(seed).build()) {
            for (int e = 0; e < 6; e++) {
                List<String> ids = new ArrayList<>();
                while (it.hasNext()) {
                    ids.addAll(it.next().ids());
                }
                out.add(ids);
                it.reset();
            }
        }
        return out;
    }

    @Test
    void skipBadFillsBatchesWithTheRemainingRecords() {
        TestDatasets.broken(dir);
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(dir, "test").size(8).batchSize(3)
                .policy(BadRecordPolicy.SKIP).build()) {
            List<String> ids = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            while (it.hasNext()) {
                MmpsBatch b = it.next();
                ids.addAll(b.ids());
                sizes.add(b.size());
            }
            assertEquals(List.of(TestDatasets.id(2), TestDatasets.id(3), TestDatasets.id(4), TestDatasets.id(5)), ids);
            assertEquals(List.of(3, 1), sizes);
            assertEquals(5, it.skipped(), it.skippedProblems().toString());
            it.reset();
            while (it.hasNext()) {
                it.next();
            }
            assertEquals(5, it.skipped(), "each bad record counted once");
        }
    }

    @Test
    void failPolicyStopsAtTheFirstBadRecord() {
        TestDatasets.broken(dir);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> MmpsBatchIterator.builder(dir, "test").size(8).batchSize(3).build());
        assertEquals(7, e.problem().line());
    }
}
