package org.mqn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.ops.ChannelMeanNorm;
import org.mqn4j.train.MqnModel;
import org.mqn4j.util.MqnException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training pictures' mean colour, on pictures whose means are known, and how mqn train records it. */
class ChannelMeansTest {

    /**
     * Three PNGs: solid (10, 20, 30), solid (30, 40, 50), and half black, half (100, 200, 60), whose means are
     * (50, 100, 30). Their average: (30, 53.33, 36.67).
     */
    private static Path split(Path root) throws Exception {
        TestImages.rgb(root.resolve("images/a.png"), 8, 6, (x, y) -> 0x0A141E, "png");
        TestImages.rgb(root.resolve("images/b.png"), 4, 4, (x, y) -> 0x1E2832, "png");
        TestImages.rgb(root.resolve("images/c.png"), 8, 2, (x, y) -> x < 4 ? 0 : 0x64C83C, "png");
        StringBuilder s = new StringBuilder();
        for (String id : new String[]{"a", "b", "c"}) {
            TestImages.grey(root.resolve("masks/" + id + ".png"), id.equals("a") ? 8 : id.equals("b") ? 4 : 8,
                    id.equals("a") ? 6 : id.equals("b") ? 4 : 2, (x, y) -> x < 2 ? 255 : 0);
            s.append(TestDatasets.line(id, "images/" + id + ".png", "masks/" + id + ".png", "红色马克杯", ""));
        }
        Files.writeString(root.resolve("train.jsonl"), s.toString());
        return root;
    }

    @Test
    void averagesEachPicturesChannelMeans(@TempDir Path dir) throws Exception {
        Path root = split(dir);
        assertArrayEquals(new float[]{30f, 53.33f, 36.67f}, ChannelMeans.measure(root, "train", 500, ChannelMeanNorm.Mode.MEANS), 1e-4f);
        // one sample: every third record, so the first picture alone
        assertArrayEquals(new float[]{10f, 20f, 30f}, ChannelMeans.measure(root, "train", 1, ChannelMeanNorm.Mode.MEANS), 1e-4f);
        assertEquals("30.00, 53.33, 36.67", ChannelMeans.format(ChannelMeans.measure(root, "train", 500, ChannelMeanNorm.Mode.MEANS)));
        // highlights: a solid picture's power mean is its value; the half-black one's is (100, 200, 60)·2^(-1/32)
        double k = Math.pow(2, -1.0 / 32);
        float[] h = ChannelMeans.measure(root, "train", 500, ChannelMeanNorm.Mode.HIGHLIGHTS);
        assertArrayEquals(new float[]{(float) ((10 + 30 + 100 * k) / 3), (float) ((20 + 40 + 200 * k) / 3),
                (float) ((30 + 50 + 60 * k) / 3)}, h, 0.006f);
    }

    @Test
    void emptySplitIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("train.jsonl"), "");
        MqnException e = assertThrows(MqnException.class, () -> ChannelMeans.measure(dir, "train", 500, ChannelMeanNorm.Mode.MEANS));
        assertTrue(e.getMessage().contains("holds no record"), e.getMessage());
    }

    /**
     * {@code channel_means: train}: a run measures the training split and writes the numbers into its config.yaml,
     * which then builds the network (as eval and export do). Other models are returned as they are.
     */
    @Test
    void aRunRecordsTheMeasuredMeansInItsConfig(@TempDir Path dir) throws Exception {
        Path data = split(dir.resolve("data"));
        MqnConfig base = MqnConfig.load(Path.of("conf/mqn_tiny.yaml"));
        MqnModel plain = new MqnModel(base);
        assertSame(plain, plain.forRun(data, dir.resolve("run0"), null));

        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), base.toBuilder().channelMeans(new float[0]).build().toYaml()
                + "train:\n  epochs: 1\n");
        MqnModel measured = (MqnModel) new MqnModel(MqnConfig.load(run.resolve("config.yaml"))).forRun(data, run, null);
        assertArrayEquals(new float[]{30f, 53.33f, 36.67f}, measured.config().channelMeans(), 1e-4f);
        MqnConfig written = MqnConfig.load(run.resolve("config.yaml"));
        assertEquals(measured.config(), written);
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("epochs: 1"), "the train section stays");
    }
}
