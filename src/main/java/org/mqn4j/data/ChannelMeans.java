package org.mqn4j.data;

import org.mqn4j.ops.ChannelMeanNorm;
import org.mqn4j.util.MqnException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The mean colour of a split's pictures: each picture's channel means (R, G, B, 0..255, at the picture's own
 * size), averaged over up to {@code samples} evenly spaced records. The target of the in-graph
 * {@link org.mqn4j.ops.ChannelMeanNorm} ({@code channel_means: train}); the same numbers as
 * {@code tools/channel_norm.py}'s reference means.
 */
public final class ChannelMeans {
    /** Pictures averaged by default (as tools/channel_norm.py). */
    public static final int DEFAULT_SAMPLES = 500;

    private ChannelMeans() {
    }

    /**
     * Each picture's statistic is the one {@code mode} matches: the channel means (means, colour) or the power means
     * (mean of (v/255)^32)^(1/32)·255 (highlights).
     *
     * @return R, G, B rounded to 0.01, so the numbers written into a run's config.yaml are the ones trained with
     * @throws MqnException when the split has no records or a sampled picture cannot be read
     */
    public static float[] measure(Path root, String split, int samples, ChannelMeanNorm.Mode mode) {
        List<MmpsRecord> records = MmpsSplitFile.read(root, split).records();
        if (records.isEmpty()) {
            throw new MqnException("cannot measure channel means: " + MmpsSplitFile.path(root, split) + " holds no record");
        }
        int step = Math.max(1, records.size() / Math.max(1, samples));
        boolean power = mode == ChannelMeanNorm.Mode.HIGHLIGHTS;
        double[] sum = new double[3];
        int n = 0;
        for (int i = 0; i < records.size(); i += step) {
            RgbImage img;
            try {
                img = ImageDecoder.readRgb(records.get(i).image());
            } catch (BadImageException e) {
                throw new MqnException("cannot measure channel means: " + records.get(i).image() + ": " + e.getMessage(), e);
            }
            double[] s = new double[3];
            byte[] rgb = img.rgb();
            for (int p = 0; p < rgb.length; p++) {
                int v = rgb[p] & 0xFF;
                s[p % 3] += power ? Math.pow(v / 255.0, ChannelMeanNorm.Mode.POWER) : v;
            }
            long pixels = (long) img.width() * img.height();
            for (int c = 0; c < 3; c++) {
                sum[c] += power ? Math.pow(s[c] / pixels, 1.0 / ChannelMeanNorm.Mode.POWER) * 255 : s[c] / pixels;
            }
            n++;
        }
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            out[c] = Math.round(sum[c] / n * 100) / 100f;
        }
        return out;
    }

    /** "200.31, 192.07, 185.20". */
    public static String format(float[] m) {
        return String.format(Locale.ROOT, "%.2f, %.2f, %.2f", m[0], m[1], m[2]);
    }
}
