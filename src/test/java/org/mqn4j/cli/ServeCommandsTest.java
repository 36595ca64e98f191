package org.mqn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.BinaryMask;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.data.MmpsBatchIterator;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.data.MmpsSplitFile;
import org.mqn4j.eval.Evaluator;
import org.mqn4j.eval.SegmentationMetrics;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.io.GraphFile;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.serve.TinyServe;
import org.mqn4j.text.BertTokenizer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** export, eval, predict and score together, as a user runs them, on a tiny untrained MQN. */
class ServeCommandsTest extends CommandTestBase {
    private static final double EPS = 1e-9;

    @TempDir
    static Path dir;
    static MqnNetwork net;
    static Path run;

    @TempDir
    Path tmp;


    /** A finished run directory as mqn train leaves it: config.yaml and final.sd. */
    @BeforeAll
    static void runDir() throws IOException {
        net = TinyServe.network();
        run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), net.config().toYaml());
        GraphFile.save(net.sameDiff(), run.resolve("final.sd"), false);
    }


    private static JsonNode json(Path f) throws IOException {
        return new ObjectMapper().readTree(f.toFile());
    }

    @Test
    void evalMatchesTheTrainersValidationAndScoreAgreesOnSavedMasks() throws IOException {
        // images of the model's size: model-size and original-size scores coincide
        Path data = TinyServe.dataset(tmp.resolve("data"), TinyServe.S, 6);
        Path model = tmp.resolve("m.mqn");
        assertEquals(0, run("export", "--checkpoint", run.toString(), "--out", model.toString()), stdout() + err);
        Path evalDir = tmp.resolve("eval");
        Path masks = tmp.resolve("masks");
        // an earlier evaluation's overlay in the same folder goes; a file of the user's stays
        Files.createDirectories(evalDir.resolve("overlays"));
        Files.writeString(evalDir.resolve("overlays/best_07_test_999999.png"), "stale");
        Files.writeString(evalDir.resolve("overlays/notes.txt"), "mine");
        assertEquals(0, run("eval", "--model", model.toString(), "--data", data.toString(), "--out", evalDir.toString(),
                "--save-masks", masks.toString(), "--batch", "4", "--overlays", "2", "--no-progress"), stdout() + err);
        assertTrue(Files.exists(evalDir.resolve("overlays/notes.txt")));
        assertTrue(stdout().contains("| all (36x36) |"), stdout());
        JsonNode m = json(evalDir.resolve("metrics.json"));
        assertEquals(6, m.path("all").path("n").asInt());

        // the trainer's validation path (batch iterator + Evaluator) on the in-memory network
        SegmentationMetrics ref;
        try (MmpsBatchIterator it = MmpsBatchIterator.builder(data, "test").size(TinyServe.S).batchSize(4).threads(1).build()) {
            ref = Evaluator.evaluate(net.sameDiff(), it, BertTokenizer.builder().maxLength(TinyServe.T).build(), null);
        }
        assertEquals(ref.scores().meanIoU(), m.path("all").path("mIoU").asDouble(), EPS);
        assertEquals(ref.scores().overallIoU(), m.path("all").path("oIoU").asDouble(), EPS);
        assertTrue(ref.scores().meanIoU() > 0, "degenerate masks: mIoU 0");

        // mqn score on the saved masks: same numbers
        Path scores = tmp.resolve("scores.json");
        assertEquals(0, run("score", "--data", data.toString(), "--pred", masks.toString(), "--json", scores.toString(),
                "--no-progress"), stdout() + err);
        JsonNode s = json(scores);
        for (String k : List.of("mIoU", "oIoU", "P@0.5", "sum_intersection", "sum_union")) {
            assertEquals(m.path("all").path(k).asDouble(), s.path(k).asDouble(), EPS, k);
            assertEquals(m.path("original_size").path(k).asDouble(), s.path(k).asDouble(), EPS, k);
        }

        // distractor split from the per-sample CSV
        List<String> rows = Files.readAllLines(evalDir.resolve("samples.csv"));
        assertEquals(7, rows.size());
        assertTrue(rows.get(0).startsWith("id,iou,intersection,union,"), rows.get(0));
        double withSum = 0, withoutSum = 0;
        int with = 0, without = 0;
        Map<String, double[]> cues = new HashMap<>(); // cue -> {sum of IoU, count}
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", 10);
            double iou = Double.parseDouble(f[1]);
            if (Integer.parseInt(f[7]) > 0) {
                assertNotEquals("none", f[8], row);
                double[] c = cues.computeIfAbsent(f[8], k -> new double[2]);
                c[0] += iou;
                c[1]++;
                withSum += iou;
                with++;
            } else {
                withoutSum += iou;
                without++;
            }
        }
        assertEquals(with, m.path("with_distractors").path("n").asInt());
        assertEquals(without, m.path("without_distractors").path("n").asInt());
        if (with > 0) {
            assertEquals(100 * withSum / with, m.path("with_distractors").path("mIoU").asDouble(), 1e-3);
        }
        if (without > 0) {
            assertEquals(100 * withoutSum / without, m.path("without_distractors").path("mIoU").asDouble(), 1e-3);
        }
        assertTrue(Files.readString(evalDir.resolve("table.md")).contains("with distractors"));
        // the split by TitleCue: every cue of the CSV, with its mean IoU, and nothing else
        JsonNode byCue = m.path("with_distractors_by_cue");
        assertTrue(with > 0, "the generated test split has no scene with distractors");
        assertEquals(cues.size(), byCue.size(), byCue.toString());
        cues.forEach((cue, c) -> {
            assertEquals((int) c[1], byCue.path(cue).path("n").asInt(), cue);
            assertEquals(100 * c[0] / c[1], byCue.path(cue).path("mIoU").asDouble(), 1e-3, cue);
        });
        try (Stream<Path> o = Files.list(evalDir.resolve("overlays"))) {
            List<String> names = o.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
            assertEquals(4, names.size(), names.toString());
            assertTrue(names.get(0).startsWith("best_01_") && names.get(2).startsWith("worst_01_"), names.toString());
        }
    }

    @Test
    void masksAreSavedAtTheGroundTruthsSizeAndScoreAgreesThere() throws IOException {
        // 48 px images, 36 px model: the masks are resized back; scored at 48 px they equal eval's original-size scores
        Path data = TinyServe.dataset(tmp.resolve("data48"), 48, 4);
        Path evalDir = tmp.resolve("eval48");
        Path masks = tmp.resolve("masks48");
        assertEquals(0, run("eval", "--model", run.toString(), "--data", data.toString(), "--out", evalDir.toString(),
                "--save-masks", masks.toString(), "--overlays", "0", "--no-progress"), stdout() + err);
        for (MmpsRecord r : MmpsSplitFile.read(data, "test").records()) {
            BufferedImage png = ImageIO.read(masks.resolve(r.id() + ".png").toFile());
            assertEquals(48, png.getWidth());
            assertEquals(48, png.getHeight());
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    int v = png.getRaster().getSample(x, y, 0);
                    assertTrue(v == 0 || v == 255, "mask value " + v);
                }
            }
        }
        Path scores = tmp.resolve("scores48.json");
        assertEquals(0, run("score", "--data", data.toString(), "--pred", masks.toString(), "--json", scores.toString(),
                "--no-progress"), stdout() + err);
        JsonNode m = json(evalDir.resolve("metrics.json"));
        JsonNode s = json(scores);
        for (String k : List.of("mIoU", "oIoU", "sum_intersection", "sum_union")) {
            assertEquals(m.path("original_size").path(k).asDouble(), s.path(k).asDouble(), EPS, k);
        }
    }

    @Test
    void predictWritesMaskCutoutOverlayAndTokens() throws IOException {
        Path data = TinyServe.dataset(tmp.resolve("one"), 40, 1);
        MmpsRecord r = MmpsSplitFile.read(data, "test").records().get(0);
        Path o = tmp.resolve("pred");
        assertEquals(0, run("predict", "--model", run.toString(), "--image", r.image().toString(), "--title", "红色杯子",
                "--out", o.toString()), stdout() + err);
        String name = r.image().getFileName().toString().replaceFirst("\\.[^.]*$", "");
        BufferedImage mask = ImageIO.read(o.resolve(name + "-mask.png").toFile());
        BufferedImage cut = ImageIO.read(o.resolve(name + "-cutout.png").toFile());
        BufferedImage over = ImageIO.read(o.resolve(name + "-overlay.png").toFile());
        assertEquals(40, mask.getWidth());
        assertEquals(40, over.getWidth());
        assertTrue(cut.getColorModel().hasAlpha());
        BufferedImage img = ImageDecoder.read(r.image());
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                boolean in = mask.getRaster().getSample(x, y, 0) == 255;
                int a = cut.getRGB(x, y) >>> 24;
                assertEquals(in ? 255 : 0, a);
                if (in) {
                    assertEquals(img.getRGB(x, y) & 0xFFFFFF, cut.getRGB(x, y) & 0xFFFFFF);
                }
            }
        }
        // the same mask as the serving API gives
        var seg = MqnSegmenter.of(ModelSource.load(run)).segment(img, "红色杯子");
        byte[] bits = new byte[40 * 40];
        for (int k = 0; k < bits.length; k++) {
            bits[k] = (byte) (mask.getRaster().getSample(k % 40, k / 40, 0) == 255 ? 1 : 0);
        }
        boolean[] fromPng = new boolean[bits.length];
        for (int k = 0; k < bits.length; k++) {
            fromPng[k] = bits[k] != 0;
        }
        assertArrayEquals(seg.mask(), fromPng);
        String text = stdout();
        assertTrue(text.contains("title tokens the mask attended to most"), text);
        // top tokens are the title's characters, not [CLS]/[SEP]
        assertTrue(text.contains("红") || text.contains("色") || text.contains("杯") || text.contains("子"), text);
        assertTrue(!text.contains("[CLS]") && !text.contains("[SEP]"), text);
    }

    @Test
    void badModelArgumentsGiveClearErrors() throws IOException {
        Path data = TinyServe.dataset(tmp.resolve("d"), 36, 1);
        Path notModel = tmp.resolve("x.mqn");
        Files.writeString(notModel, "not a model");
        assertEquals(1, run("eval", "--model", notModel.toString(), "--data", data.toString(), "--no-progress"));
        assertTrue(err.toString().contains("not a readable zip"), err.toString());
        Path empty = tmp.resolve("emptyrun");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("config.yaml"), net.config().toYaml());
        assertEquals(1, run("export", "--checkpoint", empty.toString(), "--out", tmp.resolve("e.mqn").toString()));
        assertTrue(err.toString().contains("no final.sd") && err.toString().contains("no last.json"), err.toString());
    }

    @Test
    void exportFromABestGraphFileOfARun() throws IOException {
        // RUN/best.sd: the config beside it; the export's masks equal the run's final.sd ones (same weights here)
        Files.copy(run.resolve("final.sd"), run.resolve("best.sd"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path model = tmp.resolve("best.mqn");
        assertEquals(0, run("export", "--checkpoint", run.resolve("best.sd").toString(), "--out", model.toString()),
                stdout() + err);
        Path data = TinyServe.dataset(tmp.resolve("b"), 36, 1);
        MmpsRecord r = MmpsSplitFile.read(data, "test").records().get(0);
        BufferedImage img = ImageDecoder.read(r.image());
        assertArrayEquals(MqnSegmenter.of(org.mqn4j.serve.ExportedModel.of(net)).segment(img, r.title()).modelProbability(),
                MqnSegmenter.load(model).segment(img, r.title()).modelProbability(), 0f);
        assertEquals(MqnConfig.Variant.MQN, MqnSegmenter.load(model).model().config().variant());
    }

    @Test
    void skipBadSkipsAndCountsADamagedImage() throws IOException {
        Path data = TinyServe.dataset(tmp.resolve("bad"), 36, 3);
        MmpsRecord victim = MmpsSplitFile.read(data, "test").records().get(1);
        byte[] jpg = Files.readAllBytes(victim.image());
        Files.write(victim.image(), java.util.Arrays.copyOf(jpg, 40));
        Path evalDir = tmp.resolve("evbad");
        assertEquals(2, run("eval", "--model", run.toString(), "--data", data.toString(), "--out", evalDir.toString(),
                "--no-progress"), stdout() + err);
        assertTrue(err.toString().contains(victim.id()) && err.toString().contains("--skip-bad"), err.toString());
        assertEquals(0, run("eval", "--model", run.toString(), "--data", data.toString(), "--out", evalDir.toString(),
                "--skip-bad", "--no-progress"), stdout() + err);
        assertTrue(stdout().contains("skipped 1 bad records"), stdout());
        JsonNode m = json(evalDir.resolve("metrics.json"));
        assertEquals(2, m.path("all").path("n").asInt());
        assertEquals(1, m.path("skipped").asInt());
    }
}
