package org.mqn4j.data;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

/** Writes small test images of every kind the data layer must read. */
final class TestImages {
    private TestImages() {
    }

    /** RGB image whose pixel (x, y) is {@code rgb.applyAsInt(x, y)} (0xRRGGBB), as "jpg" or "png". */
    static Path rgb(Path file, int w, int h, IntBinaryOperator rgb, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb.applyAsInt(x, y));
            }
        }
        return write(img, format, file);
    }

    /** 8-bit grey PNG with level {@code v(x, y)}. */
    static Path grey(Path file, int w, int h, IntBinaryOperator v) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, v.applyAsInt(x, y));
            }
        }
        return write(img, "png", file);
    }

    /** 16-bit grey PNG with sample {@code v(x, y)} in 0..65535. */
    static Path grey16(Path file, int w, int h, IntBinaryOperator v) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, v.applyAsInt(x, y));
            }
        }
        return write(img, "png", file);
    }

    /** 1-bit PNG (black/white), foreground where {@code fg(x, y) != 0}. */
    static Path binary(Path file, int w, int h, IntBinaryOperator fg) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, fg.applyAsInt(x, y) != 0 ? 1 : 0);
            }
        }
        return write(img, "png", file);
    }

    /** RGBA PNG: pixel {@code argb(x, y)} (0xAARRGGBB). */
    static Path rgba(Path file, int w, int h, IntBinaryOperator argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb.applyAsInt(x, y));
            }
        }
        return write(img, "png", file);
    }

    /** 8-bit palette PNG with the given 0xRRGGBB palette and index {@code idx(x, y)}. */
    static Path palette(Path file, int w, int h, int[] palette, IntBinaryOperator idx) {
        byte[] r = new byte[palette.length];
        byte[] g = new byte[palette.length];
        byte[] b = new byte[palette.length];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        IndexColorModel cm = new IndexColorModel(8, palette.length, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster ras = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setSample(x, y, 0, idx.applyAsInt(x, y));
            }
        }
        return write(img, "png", file);
    }

    /** Grey+alpha PNG: level {@code v(x, y)}, alpha {@code a(x, y)}. */
    static Path greyAlpha(Path file, int w, int h, IntBinaryOperator v, IntBinaryOperator a) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster ras = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setSample(x, y, 0, v.applyAsInt(x, y));
                ras.setSample(x, y, 1, a.applyAsInt(x, y));
            }
        }
        return write(new BufferedImage(cm, ras, false, null), "png", file);
    }

    static Path write(BufferedImage img, String format, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format + " of image type " + img.getType());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts a file to its first {@code keep} bytes. */
    static void truncate(Path file, int keep) {
        try {
            byte[] b = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(b, keep));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
