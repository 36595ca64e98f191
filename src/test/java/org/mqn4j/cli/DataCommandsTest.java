package org.mqn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.TestDatasets;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** check-data and score through the command line, as a user runs them. */
class DataCommandsTest extends CommandTestBase {
    private static final double EPS = 1e-9;

    @TempDir
    Path dir;



    @Test
    void checkDataOnAGoodSetExitsZero() {
        TestDatasets.good(dir);
        assertEquals(0, run("check-data", "--data", dir.toString(), "--no-progress"), stdout() + err);
        assertTrue(stdout().contains("test.jsonl: 5 records, 5 ok, 0 errors, 0 warnings"), stdout());
    }

    @Test
    void checkDataListsEveryProblemAndExitsTwo() {
        TestDatasets.broken(dir);
        assertEquals(2, run("check-data", "--data", dir.toString(), "--no-progress"), stdout() + err);
        String s = stdout();
        assertTrue(s.contains("test.jsonl:1 [test_000000] ERROR truncated image images/test_000000.jpg ("), s);
        assertTrue(s.contains("test.jsonl:2 [test_000001] ERROR mask size 8x5"), s);
        assertTrue(s.contains("test.jsonl:7 ERROR bad JSON"), s);
        assertTrue(s.contains("test.jsonl:8 ERROR invalid UTF-8"), s);
        assertTrue(s.contains("test.jsonl:9 [test_000002] ERROR duplicate id"), s);
        assertTrue(s.contains("test.jsonl:6 [test_000005] WARNING empty mask"), s);
        assertTrue(s.contains("test.jsonl: 9 records, 3 ok, 6 errors, 2 warnings"), s);
        assertTrue(s.contains("FAILED: 6 errors, 2 warnings"), s);
    }

    @Test
    void checkDataOnAMissingDirectoryIsAnErrorMessage() {
        assertEquals(1, run("check-data", "--data", dir.resolve("nope").toString()));
        assertTrue(err.toString().startsWith("error: dataset directory not found"), err.toString());
    }

    @Test
    void groundTruthAsPredictionScoresHundred() throws Exception {
        TestDatasets.good(dir);
        assertEquals(0, run("score", "--data", dir.toString(), "--pred", dir.resolve("masks").toString(),
                "--no-progress"), err.toString());
        assertTrue(stdout().contains("| 100.00 | 100.00 | 100.00 | 100.00 | 100.00 | 5 |"), stdout());
        Path json = dir.resolve("masks-test-scores.json");
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(100.0, j.get("oIoU").asDouble(), EPS);
        assertEquals(5, j.get("samples").size());
    }

    @Test
    void allBackgroundScoresZeroAndAllForegroundTheHandComputedValue() throws Exception {
        TestDatasets.good(dir);
        Path bg = dir.resolve("bg");
        Path fg = dir.resolve("fg");
        Files.createDirectories(bg);
        Files.createDirectories(fg);
        for (int i = 0; i < 5; i++) {
            // predictions of another size than the ground truth: resized with nearest neighbour
            BufferedImage b = new BufferedImage(5, 7, BufferedImage.TYPE_BYTE_GRAY);
            javax.imageio.ImageIO.write(b, "png", bg.resolve(TestDatasets.id(i) + ".png").toFile());
            BufferedImage f = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
            f.getRaster().setSamples(0, 0, 3, 3, 0, new int[]{200, 200, 200, 200, 200, 200, 200, 200, 200});
            javax.imageio.ImageIO.write(f, "png", fg.resolve(TestDatasets.id(i) + ".png").toFile());
        }
        Path bgJson = dir.resolve("bg.json");
        assertEquals(0, run("score", "--data", dir.toString(), "--pred", bg.toString(), "--json", bgJson.toString(),
                "--no-progress"), err.toString());
        assertTrue(stdout().contains("| 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 5 |"), stdout());
        out.reset();
        Path fgJson = dir.resolve("fg.json");
        assertEquals(0, run("score", "--data", dir.toString(), "--pred", fg.toString(), "--json", fgJson.toString(),
                "--no-progress"), err.toString());
        // IoU = foreground / pixels: 0.5, 0.25, 0.75, 0.875, 0.25 (TestDatasets)
        JsonNode j = new ObjectMapper().readTree(fgJson.toFile());
        assertEquals(60.0, j.get("P@0.5").asDouble(), EPS);
        assertEquals(40.0, j.get("P@0.7").asDouble(), EPS);
        assertEquals(0.0, j.get("P@0.9").asDouble(), EPS);
        assertEquals(52.5, j.get("mIoU").asDouble(), EPS);
        assertEquals(100.0 * 154 / 416, j.get("oIoU").asDouble(), EPS);
        assertTrue(stdout().contains("| 60.00 | 40.00 | 0.00 | 37.02 | 52.50 | 5 |"), stdout());
    }

    @Test
    void scoringAtAFixedSizeResizesBothMasks() throws Exception {
        TestDatasets.good(dir);
        Path fg = dir.resolve("fg");
        Files.createDirectories(fg);
        for (int i = 0; i < 5; i++) {
            BufferedImage f = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
            f.getRaster().setSamples(0, 0, 2, 2, 0, new int[]{255, 255, 255, 255});
            javax.imageio.ImageIO.write(f, "png", fg.resolve(TestDatasets.id(i) + ".png").toFile());
        }
        Path json = dir.resolve("fg4.json");
        assertEquals(0, run("score", "--data", dir.toString(), "--pred", fg.toString(), "--size", "4",
                "--json", json.toString(), "--no-progress"), err.toString());
        // ground truth at 4x4 by nearest (source index floor(d*in/4)): foreground 8, 4, 12, 16, 4 of 16 pixels
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(55.0, j.get("mIoU").asDouble(), EPS);
        assertEquals(100.0 * 44 / 80, j.get("oIoU").asDouble(), EPS);
        assertEquals(60.0, j.get("P@0.5").asDouble(), EPS);
        assertEquals(40.0, j.get("P@0.7").asDouble(), EPS);
        assertEquals(20.0, j.get("P@0.9").asDouble(), EPS);
    }

    @Test
    void missingPredictionStopsOrIsSkipped() throws Exception {
        TestDatasets.good(dir);
        Path pred = dir.resolve("pred");
        Files.createDirectories(pred);
        for (int i = 0; i < 5; i++) {
            if (i != 3) {
                Files.copy(dir.resolve("masks/" + TestDatasets.id(i) + ".png"), pred.resolve(TestDatasets.id(i) + ".png"));
            }
        }
        assertEquals(2, run("score", "--data", dir.toString(), "--pred", pred.toString(), "--no-progress"));
        assertTrue(err.toString().contains("test.jsonl:4 [test_000003] ERROR missing prediction"), err.toString());
        assertTrue(err.toString().contains("--skip-bad"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        out.reset();
        assertEquals(0, run("score", "--data", dir.toString(), "--pred", pred.toString(), "--skip-bad", "--no-progress"));
        assertTrue(stdout().contains("| 100.00 | 100.00 | 100.00 | 100.00 | 100.00 | 4 |"), stdout());
        assertTrue(stdout().contains("skipped 1 bad records"), stdout());
    }
}
