package org.mqn4j.serve;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/** Pictures of a mask: the mask itself, the product cut out on a transparent background, a tinted overlay. */
public final class MaskImages {
    /** The tint of product pixels in {@link #overlay} (RGB). */
    public static final int TINT = 0x00C8FF;

    private MaskImages() {
    }

    /** Grey image: 255 where {@code mask}, else 0. */
    public static BufferedImage mask(boolean[] mask, int width, int height) {
        check(mask, width, height);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = out.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                r.setSample(x, y, 0, mask[y * width + x] ? 255 : 0);
            }
        }
        return out;
    }

    /** The image's pixels where {@code mask}, fully transparent elsewhere (ARGB). */
    public static BufferedImage cutout(BufferedImage image, boolean[] mask) {
        int w = image.getWidth();
        int h = image.getHeight();
        check(mask, w, h);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, mask[y * w + x] ? 0xFF000000 | (image.getRGB(x, y) & 0xFFFFFF) : 0);
            }
        }
        return out;
    }

    /** The image with product pixels blended half-way to {@link #TINT} and the background darkened a little. */
    public static BufferedImage overlay(BufferedImage image, boolean[] mask) {
        int w = image.getWidth();
        int h = image.getHeight();
        check(mask, w, h);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = image.getRGB(x, y) & 0xFFFFFF;
                out.setRGB(x, y, mask[y * w + x] ? mix(c, TINT, 0.5) : mix(c, 0x000000, 0.35));
            }
        }
        return out;
    }

    /** {@code a*(1-t) + b*t} per channel. */
    static int mix(int a, int b, double t) {
        int out = 0;
        for (int s = 0; s <= 16; s += 8) {
            int ca = (a >> s) & 255;
            int cb = (b >> s) & 255;
            out |= ((int) Math.round(ca * (1 - t) + cb * t)) << s;
        }
        return out;
    }

    private static void check(boolean[] mask, int w, int h) {
        if (mask.length != (long) w * h) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels for a " + w + "x" + h + " image");
        }
    }
}
