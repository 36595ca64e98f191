package org.mqn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnConfig.Variant;
import org.mqn4j.serve.TinyServe;
import org.mqn4j.train.MqnModel;
import org.mqn4j.train.TrainConfig;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mqn ablate} end to end on a tiny network and data set with a one-step budget, the variants trained by
 * child JVMs: the +LQV variant's run directory holds a damaged checkpoint, so its resumed training fails; the
 * table still has every section with the three rows (the failed one marked, the others with scores in [0, 100])
 * and the run says which variant failed and why. Run again, the finished variants are reused, not retrained.
 * The config asks for {@code channel_means: train}: ablate measures them once, and the numbers in each variant's
 * config.yaml are what a rerun compares against.
 */
class AblateCommandTest extends CommandTestBase {

    @Test
    void tableOfThreeVariantsWithOneFailingAndReuseOnRerun(@TempDir Path dir) throws Exception {
        Path config = TinyRuns.config(dir, TinyServe.config(Variant.MQN).toBuilder().channelMeans(new float[0]).build());
        Path data = TinyRuns.data(dir, "train", 8, "val", 2, "test", 8);
        Path abl = dir.resolve("abl");
        String[] args = {"ablate", "--config", config.toString(), "--data", data.toString(), "--out", abl.toString(),
                "--steps", "1", "--variants", "no_vql,mqn,vision_only", "--parallel", "2"};

        // +LQV: a run with the very settings ablate will use and a damaged last.json, so ablate resumes it and the child fails
        AblateCommand cmd = new AblateCommand();
        new CommandLine(cmd).parseArgs(List.of(args).subList(1, args.length).toArray(String[]::new));
        Path broken = abl.resolve("runs/no_vql");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("config.yaml"), cmd.variantYaml(MqnModel.measured(MqnConfig.load(config), data, null),
                TrainConfig.load(config), Variant.NO_VQL));
        Files.writeString(broken.resolve("last.json"), "{\"epoch\": 1, \"st");

        assertEquals(1, run(args), stdout() + err);
        assertTrue(err.toString().contains("1 of 3 variants failed"), err.toString());
        Path report = dir.resolve("abl.md");
        String md = Files.readString(report);
        assertTrue(md.contains("Budget of every variant: 1 steps of batch 4, seed 3"), md);
        assertTrue(md.contains("`./mqn ablate --config " + config), md);
        checkTables(md);
        assertTrue(md.contains("- +LQV (`no_vql`) failed: ") && md.contains("last.json"), md);

        JsonNode summary = new ObjectMapper().readTree(abl.resolve("ablation.json").toFile());
        JsonNode vs = summary.path("variants");
        assertEquals("failed", vs.path("no_vql").path("status").asText(), vs.toString());
        assertTrue(vs.path("no_vql").path("error").asText().contains("damaged"), vs.toString());
        for (String v : List.of("mqn", "vision_only")) {
            assertEquals("trained", vs.path(v).path("status").asText(), vs.toString());
            assertEquals(1, vs.path(v).path("steps").asInt(), "the step budget: " + vs);
            assertTrue(Files.isRegularFile(abl.resolve("eval-" + v + "/metrics.json")), v);
        }
        long trainedAt = Files.getLastModifiedTime(abl.resolve("runs/mqn/final.sd")).toMillis();
        float[] means = MqnConfig.load(abl.resolve("runs/mqn/config.yaml")).channelMeans();
        assertEquals(3, means.length, "the measured numbers, not 'train'");
        assertTrue(means[0] > 0 && means[0] < 255);

        // again: the finished variants are reused (same rows), the broken one fails again
        out.reset();
        assertEquals(1, run(args), stdout() + err);
        String again = Files.readString(report);
        JsonNode vs2 = new ObjectMapper().readTree(abl.resolve("ablation.json").toFile()).path("variants");
        for (String v : List.of("mqn", "vision_only")) {
            assertEquals("reused", vs2.path(v).path("status").asText(), vs2.toString());
            List<String> rows = again.lines().filter(l -> l.startsWith("| " + label(v) + " |")).toList();
            assertEquals(md.lines().filter(l -> l.startsWith("| " + label(v) + " |")).toList(), rows, "reused scores");
        }
        assertEquals(trainedAt, Files.getLastModifiedTime(abl.resolve("runs/mqn/final.sd")).toMillis(), "not retrained");
        assertEquals("failed", vs2.path("no_vql").path("status").asText());
    }

    /** Input errors without any training: missing splits, unknown variants, and a run directory made with other settings. */
    @Test
    void clearErrorsAndARunWithOtherSettingsIsLeftAlone(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, TinyServe.config(Variant.MQN).toYaml() + "train:\n  batch_size: 4\n");
        Path data = dir.resolve("data");
        new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(), SynthConfig.builder().size(TinyServe.S).seed(5).build()), 1)
                .write(data, Map.of("train", 4, "val", 2), false);
        Path abl = dir.resolve("abl");
        assertEquals(2, run("ablate", "--config", config.toString(), "--data", data.toString(), "--out", abl.toString(), "--steps", "1"));
        assertTrue(err.toString().contains("test.jsonl does not exist"), err.toString());
        Files.writeString(data.resolve("test.jsonl"), "");
        assertEquals(2, run("ablate", "--config", config.toString(), "--data", data.toString(), "--variants", "mqn,lqv_only"));
        assertTrue(err.toString().contains("'lqv_only' is not one of vision_only, no_vql, mqn"), err.toString());

        Path other = abl.resolve("runs/mqn");
        Files.createDirectories(other);
        Files.writeString(other.resolve("config.yaml"), "model: {}\n");
        assertEquals(1, run("ablate", "--config", config.toString(), "--data", data.toString(), "--out", abl.toString(),
                "--steps", "1", "--variants", "mqn"), stdout() + err);
        String md = Files.readString(dir.resolve("abl.md"));
        assertTrue(md.contains("| +LQV+VQL (MQN) (failed) | ✓ | ✓ | – | – | – | – | – |"), md);
        assertTrue(md.contains("holds a run with other settings") && md.contains("--fresh"), md);
        assertEquals("model: {}\n", Files.readString(other.resolve("config.yaml")), "the earlier run is left alone");
    }

    private static String label(String variant) {
        return variant.equals("mqn") ? "+LQV+VQL (MQN)" : "Vision only";
    }

    /** Three sections, each with the three rows in the paper's order; +LQV failed, the others hold percentages. */
    private static void checkTables(String md) {
        List<String> sections = List.of("### All test images (n = 8)", "### Images with distractors (n = ", "### Images without distractors (n = ");
        List<String> lines = md.lines().toList();
        for (String section : sections) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(section)) {
                    at = i;
                }
            }
            assertTrue(at >= 0, "no section " + section + " in\n" + md);
            assertFalse(lines.get(at).contains("(n = 0)"), "the test data has images with and without distractors: " + lines.get(at));
            assertEquals("| method | LQV | VQL | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU |", lines.get(at + 2));
            List<String> rows = new ArrayList<>(lines.subList(at + 4, at + 7));
            assertTrue(rows.get(0).startsWith("| Vision only |  |  | "), rows.toString());
            assertEquals("| +LQV (failed) | ✓ |  | – | – | – | – | – |", rows.get(1));
            assertTrue(rows.get(2).startsWith("| +LQV+VQL (MQN) | ✓ | ✓ | "), rows.toString());
            for (String row : List.of(rows.get(0), rows.get(2))) {
                String[] cells = row.split("\\|");
                assertEquals(9, cells.length, row);
                for (int c = 4; c < 9; c++) {
                    double v = Double.parseDouble(cells[c].trim());
                    assertTrue(v >= 0 && v <= 100, row);
                }
            }
        }
    }
}
