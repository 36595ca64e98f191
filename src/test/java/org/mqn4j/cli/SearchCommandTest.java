package org.mqn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.train.TrainConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mqn search} end to end on a tiny network and data set: two trials of one step each, trained by child
 * JVMs side by side, ranked in the report, the best one's config written as a loadable run config; run again,
 * both are reused, not retrained. A space value the config loaders refuse stops the search before training.
 */
class SearchCommandTest extends CommandTestBase {

    @Test
    void twoTrialsRankedBestConfigWrittenAndReusedOnRerun(@TempDir Path dir) throws Exception {
        Path config = TinyRuns.config(dir);
        Path data = TinyRuns.data(dir, "train", 8, "val", 2);
        Path spec = dir.resolve("search.yaml");
        Files.writeString(spec, "base: " + config + "\ngenerator: grid\ngrid_points: 2\nparallel: 2\n"
                + "set: {train.max_steps: 1}\nspace:\n  train.learning_rate: {log_uniform: [1.0e-3, 1.0e-2]}\n");
        Path runs = dir.resolve("search");
        String[] args = {"search", "--spec", spec.toString(), "--data", data.toString(), "--out", runs.toString()};

        assertEquals(0, run(args), stdout() + err);
        String md = Files.readString(dir.resolve("search.md"));
        assertTrue(md.contains("2 of 2 trials finished, 0 failed"), md);
        List<String> rows = md.lines().filter(l -> l.matches("\\| \\d \\| 0\\d \\|.*")).toList();
        assertEquals(2, rows.size(), md);
        double first = Double.parseDouble(rows.get(0).split("\\|")[4].trim());
        double second = Double.parseDouble(rows.get(1).split("\\|")[4].trim());
        assertTrue(first >= second && second >= 0 && first <= 100, "ranked by validation mIoU: " + rows);
        assertTrue(rows.get(0).contains("| 1 | 1 |") && rows.get(0).endsWith("| trained |"), "one step of training: " + rows.get(0));

        JsonNode json = new ObjectMapper().readTree(runs.resolve("search.json").toFile());
        assertEquals(2, json.path("trials").size(), json.toString());
        // the best trial's config is a run config mqn train accepts, with the best trial's rate
        Path best = runs.resolve("best.yaml");
        double bestRate = Double.parseDouble(rows.get(0).split("\\|")[3].trim());
        assertEquals(bestRate, TrainConfig.load(best).learningRate(), 1e-12);
        assertEquals(1, TrainConfig.load(best).maxSteps());
        MqnConfig.load(best);
        byte[] weights = Files.readAllBytes(runs.resolve("trials/00/final.sd"));
        long trainedAt = Files.getLastModifiedTime(runs.resolve("trials/00/final.sd")).toMillis();

        out.reset();   // the captured stdout
        assertEquals(0, run(args), stdout() + err);
        assertTrue(stdout().contains("trial 00 (learning_rate=0.001): reusing its finished run"), stdout());
        assertEquals(trainedAt, Files.getLastModifiedTime(runs.resolve("trials/00/final.sd")).toMillis(), "not retrained");
        assertArrayEquals(weights, Files.readAllBytes(runs.resolve("trials/00/final.sd")));
        assertTrue(Files.readString(dir.resolve("search.md")).contains("| reused |"));
    }

    @Test
    void aValueTheConfigRefusesStopsTheSearchBeforeTraining(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("train.jsonl"), "");
        Files.writeString(data.resolve("val.jsonl"), "");
        Path spec = dir.resolve("search.yaml");
        Files.writeString(spec, "base: conf/mqn_tiny.yaml\nspace:\n  model.fusion_stages: {choices: [[3, 4], [5]]}\n");
        Path runs = dir.resolve("search");
        assertEquals(2, run("search", "--spec", spec.toString(), "--data", data.toString(), "--out", runs.toString()), err.toString());
        assertTrue(err.toString().contains("space.model.fusion_stages = [5] does not make a valid run config"), err.toString());
        try (var s = Files.list(runs.resolve("trials"))) {
            assertFalse(s.findAny().isPresent(), "nothing trained");
        }
    }
}
