package org.mqn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataCheckerTest {
    @TempDir
    Path dir;

    @Test
    void goodDatasetHasNoProblems() {
        TestDatasets.good(dir);
        DataChecker.Report r = new DataChecker(dir, 2).check(List.of(), false);
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(new DataChecker.SplitSummary("test.jsonl", 5, 5, 0, 0)), r.splits());
    }

    /** One photo asked about two products (two masks) is fine; a second record with the same mask is not. */
    @Test
    void sharedImageWarnsOnlyWithTheSameMask() throws java.io.IOException {
        TestDatasets.good(dir);
        TestImages.grey(dir.resolve("masks/other.png"), 8, 6, (x, y) -> x >= 4 ? 255 : 0);
        java.nio.file.Files.writeString(dir.resolve("test.jsonl"),
                TestDatasets.line("test_000000_r1", "images/test_000000.jpg", "masks/other.png", "another product", "")
                        + TestDatasets.line("test_000000_r2", "images/test_000000.jpg", "masks/test_000000.png", "again", ""),
                java.nio.file.StandardOpenOption.APPEND);
        DataChecker.Report r = new DataChecker(dir, 2).check(List.of(), false);
        List<String> lines = r.problems().stream().map(DataProblem::toString).toList();
        assertEquals(List.of("test.jsonl:7 [test_000000_r2] WARNING image images/test_000000.jpg is also used by "
                + "test.jsonl:1 [test_000000] with the same mask"), lines);
    }

    @Test
    void brokenDatasetReportsEveryProblem() {
        TestDatasets.broken(dir);
        DataChecker.Report r = new DataChecker(dir, 2).check(List.of(), false);
        List<String> lines = r.problems().stream().map(DataProblem::toString).toList();
        String all = String.join("\n", lines);
        // train.jsonl is read first, so the cross-split duplicate is reported on the test line
        assertTrue(lines.get(0).startsWith("test.jsonl:1 [test_000000] ERROR truncated image images/test_000000.jpg ("), all);
        assertTrue(lines.get(1).startsWith("test.jsonl:2 [test_000001] ERROR mask size 8x5 of masks/test_000001.png "
                + "differs from image size 8x6"), all);
        assertTrue(lines.get(2).startsWith("test.jsonl:4 [test_000003] ERROR duplicate id, also at train.jsonl:1"), all);
        assertTrue(lines.get(3).startsWith("test.jsonl:4 [test_000003] WARNING image images/test_000003.png is also used by train.jsonl:1"), all);
        assertTrue(lines.get(4).startsWith("test.jsonl:6 [test_000005] WARNING empty mask masks/test_000005.png"), all);
        assertTrue(lines.get(5).startsWith("test.jsonl:7 ERROR bad JSON"), all);
        assertTrue(lines.get(6).startsWith("test.jsonl:8 ERROR invalid UTF-8"), all);
        assertTrue(lines.get(7).startsWith("test.jsonl:9 [test_000002] ERROR duplicate id, first seen at test.jsonl:3"), all);
        assertEquals(8, lines.size(), all);
        assertEquals(6, r.errors());
        assertEquals(2, r.warnings());
        assertEquals(new DataChecker.SplitSummary("train.jsonl", 1, 1, 0, 0), r.splits().get(0));
        assertEquals(new DataChecker.SplitSummary("test.jsonl", 9, 3, 6, 2), r.splits().get(1));
    }
}
