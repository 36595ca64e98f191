package org.mqn4j.data;

/**
 * A decoded 8-bit RGB image, pixels interleaved row by row: {@code rgb[3*(y*width+x)+c]}, c = R,G,B.
 * The array is shared, not copied: treat it as read-only.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes for " + width + "x" + height);
        }
    }

    /** Channel c (0 R, 1 G, 2 B) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xff;
    }
}
