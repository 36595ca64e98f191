package org.mqn4j.data;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Random changes to a training image and its mask that keep what the title says true, so that a model
 * trained on one generator's pictures holds up on another's (other lighting, cameras, clutter):
 * <ul>
 *   <li>{@code flip}: mirror left-right with probability 1/2 (titles name colour and category, never sides);</li>
 *   <li>{@code brightness}, {@code contrast}, {@code saturation}: factors drawn from {@code [1-a, 1+a]};
 *       contrast about the image's mean grey, saturation about each pixel's grey (Rec. 601 weights);</li>
 *   <li>{@code color_cast}: per-channel gains from {@code [1-a, 1+a]}, a white-balance error; kept small so that
 *       a red product stays red (no hue rotation: the title's colour words must stay true);</li>
 *   <li>{@code lighting}: light falling off across the picture, a factor from {@code 1-s} to {@code 1+s} along a
 *       random direction, s drawn from {@code [0, a]};</li>
 *   <li>{@code occlusion}: with this probability, a grey-ish quadrilateral of 4-16% of the picture drawn over it;
 *       the pixels it hides leave the mask (the mask is the product's visible pixels);</li>
 *   <li>{@code target_occlusion}: with this probability, an ellipse or quadrilateral of 3-12% of the picture centred
 *       on a random pixel of the product (a hand, a price tag, another object in front of it), in a random colour
 *       at least 100 (RGB distance) from the product's mean colour; its pixels leave the mask as well;</li>
 *   <li>{@code noise}: Gaussian pixel noise with a standard deviation drawn from {@code [0, a]} (0-255 scale).</li>
 * </ul>
 * Geometry first (flip, occluders), then light (brightness, contrast, saturation, cast, lighting, noise). Every
 * draw comes from the {@link SplittableRandom} passed in, so a sample's augmentation depends only on its seed.
 * All zero (the default) is no augmentation; {@link #NONE}. Thread-safe (immutable).
 */
public record Augmentation(boolean flip, double brightness, double contrast, double saturation, double colorCast,
                           double lighting, double occlusion, double targetOcclusion, double noise) {

    public static final Augmentation NONE = new Augmentation(false, 0, 0, 0, 0, 0, 0, 0, 0);

    public Augmentation {
        check("brightness", brightness, 0.9);
        check("contrast", contrast, 0.9);
        check("saturation", saturation, 1.0);
        check("color_cast", colorCast, 0.5);
        check("lighting", lighting, 0.9);
        check("occlusion", occlusion, 1.0);
        check("target_occlusion", targetOcclusion, 1.0);
        check("noise", noise, 64);
    }

    private static void check(String key, double v, double max) {
        if (!(v >= 0 && v <= max)) {
            throw new IllegalArgumentException("augment." + key + " must be in [0, " + max + "], got " + v);
        }
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** One line for logs and run fingerprints, e.g. {@code flip brightness=0.25 ...}; "none". */
    public String describe() {
        if (isNone()) {
            return "none";
        }
        return String.format(Locale.ROOT, "%sbrightness=%s contrast=%s saturation=%s color_cast=%s lighting=%s occlusion=%s%s noise=%s",
                flip ? "flip " : "", brightness, contrast, saturation, colorCast, lighting, occlusion,
                targetOcclusion > 0 ? " target_occlusion=" + targetOcclusion : "", noise);
    }

    /** An image and its mask after augmentation. */
    public record Sample(RgbImage image, BinaryMask mask) {
    }

    /** A new image and mask (the inputs are not changed). */
    public Sample apply(RgbImage image, BinaryMask mask, SplittableRandom rnd) {
        int w = image.width();
        int h = image.height();
        byte[] src = image.rgb();
        byte[] bits = mask.bits();
        float[] px = new float[3 * w * h];
        byte[] m = new byte[w * h];
        boolean mirror = flip && rnd.nextBoolean();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int from = y * w + (mirror ? w - 1 - x : x);
                int to = y * w + x;
                for (int c = 0; c < 3; c++) {
                    px[3 * to + c] = src[3 * from + c] & 0xff;
                }
                m[to] = bits[from];
            }
        }
        if (occlusion > 0 && rnd.nextDouble() < occlusion) {
            occlude(px, m, w, h, rnd);
        }
        if (targetOcclusion > 0 && rnd.nextDouble() < targetOcclusion) {
            occludeTarget(px, m, w, h, rnd);
        }
        light(px, w, h, rnd);
        byte[] out = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = (byte) Math.round(Math.max(0f, Math.min(255f, px[i])));
        }
        return new Sample(new RgbImage(w, h, out), new BinaryMask(w, h, m));
    }

    /** A random quadrilateral around a random centre, of 4-16% of the picture, in a low-saturation colour. */
    private static void occlude(float[] px, byte[] m, int w, int h, SplittableRandom rnd) {
        double area = (0.04 + 0.12 * rnd.nextDouble()) * w * h;
        double aspect = Math.exp((rnd.nextDouble() - 0.5) * 1.4);
        double hw = Math.sqrt(area * aspect) / 2;
        double hh = Math.sqrt(area / aspect) / 2;
        double cx = rnd.nextDouble() * w;
        double cy = rnd.nextDouble() * h;
        double angle = rnd.nextDouble() * Math.PI;
        double[] xs = new double[4];
        double[] ys = new double[4];
        double[][] corners = {{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}};
        for (int k = 0; k < 4; k++) {
            double jx = corners[k][0] * (0.8 + 0.4 * rnd.nextDouble());
            double jy = corners[k][1] * (0.8 + 0.4 * rnd.nextDouble());
            xs[k] = cx + jx * Math.cos(angle) - jy * Math.sin(angle);
            ys[k] = cy + jx * Math.sin(angle) + jy * Math.cos(angle);
        }
        java.awt.geom.Path2D.Double quad = new java.awt.geom.Path2D.Double();
        quad.moveTo(xs[0], ys[0]);
        for (int k = 1; k < 4; k++) {
            quad.lineTo(xs[k], ys[k]);
        }
        quad.closePath();
        float grey = (float) (40 + 180 * rnd.nextDouble());
        float[] rgb = new float[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = grey + (float) ((rnd.nextDouble() - 0.5) * 40);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (quad.contains(x + 0.5, y + 0.5)) {
                    int i = y * w + x;
                    px[3 * i] = rgb[0];
                    px[3 * i + 1] = rgb[1];
                    px[3 * i + 2] = rgb[2];
                    m[i] = 0;
                }
            }
        }
    }

    /** An ellipse or quadrilateral over a random product pixel, in a colour far from the product's (see the class doc). */
    static void occludeTarget(float[] px, byte[] m, int w, int h, SplittableRandom rnd) {
        int n = 0;
        double[] mean = new double[3];
        for (int i = 0; i < w * h; i++) {
            if (m[i] != 0) {
                n++;
                for (int c = 0; c < 3; c++) {
                    mean[c] += px[3 * i + c];
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            mean[c] /= Math.max(1, n);
        }
        double area = (0.03 + 0.09 * rnd.nextDouble()) * w * h;
        double aspect = Math.exp((rnd.nextDouble() - 0.5) * 1.2);
        double rx = Math.sqrt(area * aspect / Math.PI);
        double ry = Math.sqrt(area / aspect / Math.PI);
        double angle = rnd.nextDouble() * Math.PI;
        boolean ellipse = rnd.nextBoolean();
        long pick = n == 0 ? 0 : rnd.nextLong(n);
        float[] rgb = new float[3];
        double far;
        do {
            for (int c = 0; c < 3; c++) {
                rgb[c] = (float) (255 * rnd.nextDouble());
            }
            far = Math.sqrt(Math.pow(rgb[0] - mean[0], 2) + Math.pow(rgb[1] - mean[1], 2) + Math.pow(rgb[2] - mean[2], 2));
        } while (far < 100);
        if (n == 0) {
            return;   // nothing to cover (the draws above keep the sequence independent of the mask)
        }
        int cx = 0;
        int cy = 0;
        for (int i = 0, k = 0; i < w * h; i++) {
            if (m[i] != 0 && k++ == pick) {
                cx = i % w;
                cy = i / w;
                break;
            }
        }
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - (cx + 0.5);
                double dy = y + 0.5 - (cy + 0.5);
                double u = (dx * cos + dy * sin) / rx;
                double v = (-dx * sin + dy * cos) / ry;
                // the quadrilateral: the rectangle of the ellipse's area (sides sqrt(pi) times the radii)
                boolean inside = ellipse ? u * u + v * v <= 1 : Math.abs(u) <= 0.886 && Math.abs(v) <= 0.886;
                if (inside) {
                    int i = y * w + x;
                    px[3 * i] = rgb[0];
                    px[3 * i + 1] = rgb[1];
                    px[3 * i + 2] = rgb[2];
                    m[i] = 0;
                }
            }
        }
    }

    private void light(float[] px, int w, int h, SplittableRandom rnd) {
        int n = w * h;
        double b = 1 + brightness * (2 * rnd.nextDouble() - 1);
        double ct = 1 + contrast * (2 * rnd.nextDouble() - 1);
        double sat = 1 + saturation * (2 * rnd.nextDouble() - 1);
        double[] gain = new double[3];
        for (int c = 0; c < 3; c++) {
            gain[c] = 1 + colorCast * (2 * rnd.nextDouble() - 1);
        }
        double strength = lighting * rnd.nextDouble();
        double dir = rnd.nextDouble() * 2 * Math.PI;
        double dx = Math.cos(dir);
        double dy = Math.sin(dir);
        double reach = (Math.abs(dx) * w + Math.abs(dy) * h) / 2;   // half the extent along the direction
        double sigma = noise * rnd.nextDouble();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += grey(px, i);
        }
        mean /= Math.max(1, n);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double g = grey(px, i);
                double along = reach > 0 ? ((x + 0.5 - w / 2.0) * dx + (y + 0.5 - h / 2.0) * dy) / reach : 0;
                double light = b * (1 + strength * along);
                for (int c = 0; c < 3; c++) {
                    double v = g + sat * (px[3 * i + c] - g);          // saturation about the pixel's grey
                    v = mean + ct * (v - mean);                         // contrast about the image's mean grey
                    v *= gain[c] * light;
                    if (sigma > 0) {
                        v += sigma * rnd.nextGaussian();
                    }
                    px[3 * i + c] = (float) v;
                }
            }
        }
    }

    private static double grey(float[] px, int i) {
        return 0.299 * px[3 * i] + 0.587 * px[3 * i + 1] + 0.114 * px[3 * i + 2];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setting 0 / false unless set. */
    public static final class Builder {
        private boolean flip;
        private double brightness;
        private double contrast;
        private double saturation;
        private double colorCast;
        private double lighting;
        private double occlusion;
        private double targetOcclusion;
        private double noise;

        private Builder() {
        }

        public Builder flip(boolean v) { flip = v; return this; }
        public Builder brightness(double v) { brightness = v; return this; }
        public Builder contrast(double v) { contrast = v; return this; }
        public Builder saturation(double v) { saturation = v; return this; }
        public Builder colorCast(double v) { colorCast = v; return this; }
        public Builder lighting(double v) { lighting = v; return this; }
        public Builder occlusion(double v) { occlusion = v; return this; }
        public Builder targetOcclusion(double v) { targetOcclusion = v; return this; }
        public Builder noise(double v) { noise = v; return this; }

        public Augmentation build() {
            return new Augmentation(flip, brightness, contrast, saturation, colorCast, lighting, occlusion, targetOcclusion, noise);
        }
    }
}
