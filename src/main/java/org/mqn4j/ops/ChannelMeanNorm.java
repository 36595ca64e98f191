package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Removes a picture's colour cast and brightness inside the graph (not in the paper): each channel of each
 * picture is scaled so that the picture's channel mean equals a fixed target, the training pictures' mean
 * ({@code model.channel_means}). A dim, warm or overexposed copy of a picture (a gain per channel) then gives
 * the network the same input as the picture itself (results/channel-norm.md), unless the file itself clipped.
 *
 * <p>On the ImageNet-normalised input x [B,3,S,S] of the network, with the normalisation's mean μ and std σ:
 * <pre>
 *   r    = x·σ + μ                          pixel values in [0,1]
 *   m    = mean of r over the S·S pixels    [B,3]
 *   y    = r · g                            with the gain per channel (not clipped at 1)
 *          g = target/max(m, 1/255)                         mode means: brightness and colour cast removed
 *          g = (target/Σ target) / (max(m, 1/255)/Σ m)      mode colour: the cast only, brightness kept
 *          g = target/max(h, 1/255)                         mode highlights, with h = (mean of r^32)^(1/32) per channel
 *   out  = (y − μ)/σ
 * </pre>
 * Mode {@code means} maps a dark picture, whatever made it dark, to the training pictures' brightness; a bright
 * product on a dark backdrop then goes above white. Clipping it there, as {@code tools/channel_norm.py} does, cost
 * the 8% of dark-backdrop test pictures 19 mIoU; unclipped, they lose 9-12 and the rest nothing
 * (results/input-norm.md). Mode {@code colour} keeps each picture's brightness and removes only its colour cast
 * (grey-world white balance towards the training pictures' tint).
 * Mode {@code highlights} matches a power mean that follows a picture's brightest parts (a soft white patch), so a
 * bright product on a dark backdrop sets the gain rather than the backdrop; its target is the training pictures'
 * mean of the same statistic ({@link org.mqn4j.data.ChannelMeans}).
 * Mode {@code means} is the operation of {@code tools/channel_norm.py} without its clipping (the tool writes 8-bit
 * files at their own size); here every mode runs after the resize to S, so a service's pictures of any size get it too.
 */
public final class ChannelMeanNorm {
    /** What is matched to the target. */
    public enum Mode {
        /** Every channel mean (brightness and colour cast). */
        MEANS,
        /** The proportions between the channel means only (colour cast), each picture's brightness kept. */
        COLOUR,
        /** The power means (mean of r^32)^(1/32), which follow a picture's brightest parts. */
        HIGHLIGHTS;

        /**
         * The exponent of {@link #HIGHLIGHTS}' power mean. On data/demo's test pictures, 8 gives a dark-backdrop picture
         * the same median gain as a dim one (1.49, 1.47); 32 tells them apart (1.22, 1.51; the dim one needs 1.54, the
         * dark one none; the channel means give 1.94, 1.42): {@code tools/norm_gains.py}.
         */
        public static final int POWER = 32;

        /** The YAML spelling: means, colour, highlights. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Reads means, colour (or color) or highlights. */
        public static Mode parse(String s) {
            String k = s.toLowerCase(java.util.Locale.ROOT);
            for (Mode m : values()) {
                if (m.key().equals(k) || (m == COLOUR && k.equals("color"))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("channel_norm '" + s + "' is not one of means, colour, highlights");
        }
    }

    /**
     * Smallest channel mean divided by: one 8-bit level, in [0,1] units. The tool's 1e-3 of a level amplified the
     * float round-off of a black channel (about 1e-8 after the ImageNet normalisation and back) to visible values.
     */
    static final double MIN_MEAN = 1.0 / 255;

    private ChannelMeanNorm() {
    }

    /**
     * @param x      ImageNet-normalised pictures [-1,3,s,s]
     * @param target the statistic (R, G, B) to scale to, in 0..255 pixel units: channel means, or power means for highlights
     * @param mode   what is matched to the target
     * @param mean   the input normalisation's channel means μ ([0,1] units)
     * @param std    the input normalisation's channel standard deviations σ
     */
    public static SDVariable apply(SameDiff sd, String name, SDVariable x, int s, float[] target, Mode mode, float[] mean,
                                   float[] std) {
        if (target.length != 3 || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("channel means, mean and std need 3 values each (R, G, B)");
        }
        float[] t = new float[3];
        for (int c = 0; c < 3; c++) {
            t[c] = target[c] / 255f;
        }
        SDVariable mu = sd.constant(name + ".mean", Nd4j.createFromArray(mean).castTo(x.dataType()).reshape(1, 3, 1));
        SDVariable sigma = sd.constant(name + ".std", Nd4j.createFromArray(std).castTo(x.dataType()).reshape(1, 3, 1));
        SDVariable goal = sd.constant(name + ".channel_means", Nd4j.createFromArray(t).castTo(x.dataType()).reshape(1, 3));
        // rank-3 reductions over the last axis are wrong in M2.1 (package-info): reduce rows of a [B·3, S·S] view
        SDVariable raw = x.reshape(-1, 3, (long) s * s).mul(sigma).add(mu);
        SDVariable m = mode == Mode.HIGHLIGHTS
                ? sd.math.pow(sd.math.pow(sd.math.clipByValue(raw, 0.0, 1.0), Mode.POWER).reshape(-1, (long) s * s).mean(true, 1),
                        1.0 / Mode.POWER).reshape(-1, 3)
                : raw.reshape(-1, (long) s * s).mean(true, 1).reshape(-1, 3);
        SDVariable floor = sd.math.max(m, sd.constant(Nd4j.scalar(x.dataType(), MIN_MEAN)));
        SDVariable gain = goal.div(floor);
        if (mode == Mode.COLOUR) {
            gain = gain.mul(floor.sum(true, 1)).div(t[0] + t[1] + t[2]);
        }
        gain = gain.reshape(-1, 3, 1);
        SDVariable y = raw.mul(gain);
        return y.sub(mu).div(sigma).reshape(-1, 3, s, s).rename(name);
    }
}
