package org.mqn4j.data;

/**
 * A binary mask, row by row: {@code bits[y*width+x]} is 1 for product, 0 for background.
 * The array is shared, not copied: treat it as read-only.
 */
public record BinaryMask(int width, int height, byte[] bits) {
    public BinaryMask {
        if (bits.length != (long) width * height) {
            throw new IllegalArgumentException("mask has " + bits.length + " values for " + width + "x" + height);
        }
    }

    /** Number of foreground pixels. */
    public long count() {
        long n = 0;
        for (byte b : bits) {
            n += b;
        }
        return n;
    }

    public boolean get(int x, int y) {
        return bits[y * width + x] != 0;
    }
}
