package org.mqn4j.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes JPEG and PNG files (any ImageIO format, in fact) to 8-bit RGB images and binary masks,
 * and refuses damaged files instead of returning grey-filled pixels.
 *
 * <p>Damage detection: a JPEG must end with its end-of-image marker {@code FFD9} (within the last
 * 32 bytes, allowing a little padding) and a PNG must contain its {@code IEND} chunk; any warning
 * of the ImageIO reader (e.g. "Premature end of JPEG file", which the JDK reader emits instead of
 * failing) is an error, except warnings about colour profiles. CMYK and YCCK JPEGs are read by the TwelveMonkeys JPEG plugin (on the
 * classpath), which converts them to RGB through their ICC profile or a generic CMYK profile.
 *
 * <p>Colour conversion ({@link #readRgb}), like PIL's {@code convert("RGB")} where PIL is sane:
 * grey is replicated to R=G=B (raw samples, no gamma conversion); alpha is dropped (not composited);
 * palette images take their palette colour; samples of other bit depths are scaled to 0..255 by
 * {@code round(v*255/(2^bits-1))}, so 16-bit v becomes {@code round(v/257)} (PIL would clip 16-bit
 * grey to 0..255 instead).
 *
 * <p>Masks ({@link #readMask}): each pixel becomes a grey level 0..255 and the pixel is product
 * when that level is {@code >= 128}. Grey masks use their sample scaled as above: 1-bit 1 is 255,
 * 16-bit v is product iff {@code v >= 32768}. Grey+alpha ignores alpha. RGB(A) and palette masks
 * use the luminance of the (palette) colour, PIL's {@code convert("L")}:
 * {@code L = (19595 R + 38470 G + 7471 B + 32768) >> 16}; so white is product and pure red
 * (L = 76) is background. Palette masks therefore map by colour, not by palette index.
 */
public final class ImageDecoder {
    private static final int JPEG_TAIL = 32;
    private static final int PNG_TAIL = 64;

    private ImageDecoder() {
    }

    /** Reads an image as 8-bit RGB. */
    public static RgbImage readRgb(Path file) throws BadImageException {
        BufferedImage img = read(file);
        return new RgbImage(img.getWidth(), img.getHeight(), toRgb(img));
    }

    /** Reads a mask and thresholds it at grey level 128 (see the class comment for the mapping). */
    public static BinaryMask readMask(Path file) throws BadImageException {
        BufferedImage img = read(file);
        byte[] grey = toGrey(img);
        byte[] bits = new byte[grey.length];
        for (int i = 0; i < grey.length; i++) {
            bits[i] = (byte) ((grey[i] & 0xff) >= 128 ? 1 : 0);
        }
        return new BinaryMask(img.getWidth(), img.getHeight(), bits);
    }

    /** Decodes a file with the damage checks of the class comment. */
    public static BufferedImage read(Path file) throws BadImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadImageException("missing", "no such file", e);
        } catch (IOException e) {
            throw new BadImageException("unreadable", e.toString(), e);
        }
        return decode(bytes);
    }

    static BufferedImage decode(byte[] bytes) throws BadImageException {
        if (bytes.length == 0) {
            throw new BadImageException("unreadable", "empty file", null);
        }
        if (isJpeg(bytes) && !hasJpegEnd(bytes)) {
            throw new BadImageException("truncated", "no JPEG end-of-image marker in the last " + JPEG_TAIL
                    + " of " + bytes.length + " bytes", null);
        }
        if (isPng(bytes) && !hasPngEnd(bytes)) {
            throw new BadImageException("truncated", "no PNG IEND chunk at the end of " + bytes.length + " bytes", null);
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            List<ImageReader> readers = new ArrayList<>();
            ImageIO.getImageReaders(in).forEachRemaining(readers::add);
            if (readers.isEmpty()) {
                throw new BadImageException("unreadable", "not a JPEG or PNG file (first bytes " + hex(bytes, 4) + ")", null);
            }
            // The JDK's readers first (faster); others (TwelveMonkeys) when it fails, e.g. on CMYK JPEGs.
            readers.sort(java.util.Comparator.comparingInt(r -> r.getClass().getName().startsWith("com.sun.") ? 0 : 1));
            Exception failure = null;
            for (ImageReader reader : readers) {
                try {
                    in.seek(0);
                    return read(reader, in);
                } catch (BadImageException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    if (failure == null || !reader.getClass().getName().startsWith("com.sun.")) {
                        failure = e;
                    }
                } finally {
                    reader.dispose();
                }
            }
            String msg = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            boolean truncated = failure instanceof java.io.EOFException || msg.toLowerCase().contains("premature end")
                    || msg.toLowerCase().contains("unexpected end");
            throw new BadImageException(truncated ? "truncated" : "unreadable", msg, failure);
        } catch (IOException e) {
            if (e instanceof BadImageException b) {
                throw b;
            }
            throw new BadImageException("unreadable", e.toString(), e);
        }
    }

    /** Reads image 0 with one reader; any reader warning (but colour-profile ones) is a damaged file. */
    private static BufferedImage read(ImageReader reader, ImageInputStream in) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (!isColourProfileWarning(warning)) {
                warnings.add(warning);
            }
        });
        reader.setInput(in, true, true);
        BufferedImage img = reader.read(0);
        if (!warnings.isEmpty()) {
            String w = String.join("; ", warnings);
            boolean truncated = w.toLowerCase().contains("premature end") || w.toLowerCase().contains("truncated");
            throw new BadImageException(truncated ? "truncated" : "corrupt", "decoder warning: " + w, null);
        }
        if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
            throw new BadImageException("unreadable", "decoder returned no image", null);
        }
        return img;
    }

    /**
     * Warnings about colour management (e.g. TwelveMonkeys' "No embedded ICC color profile, will convert
     * using inaccurate CMYK to RGB conversion") concern the conversion, not damage: they are not errors.
     */
    static boolean isColourProfileWarning(String warning) {
        String w = warning.toLowerCase();
        return w.contains("icc") || w.contains("color profile") || w.contains("colour profile");
    }

    /** Interleaved 8-bit RGB of any ImageIO image (see the class comment). */
    public static byte[] toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[3 * w * h];
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && r.getDataBuffer() instanceof DataBufferByte db
                && r.getParent() == null && db.getData().length == 3 * w * h) {
            byte[] d = db.getData(); // B,G,R per pixel
            for (int i = 0, n = w * h; i < n; i++) {
                out[3 * i] = d[3 * i + 2];
                out[3 * i + 1] = d[3 * i + 1];
                out[3 * i + 2] = d[3 * i];
            }
            return out;
        }
        int bands = r.getNumBands();
        int[] row = new int[w * bands];
        if (cm instanceof IndexColorModel icm) {
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int idx = row[x * bands];
                    int o = 3 * (y * w + x);
                    out[o] = (byte) icm.getRed(idx);
                    out[o + 1] = (byte) icm.getGreen(idx);
                    out[o + 2] = (byte) icm.getBlue(idx);
                }
            }
            return out;
        }
        int csType = cm.getColorSpace().getType();
        boolean plain = cm instanceof ComponentColorModel || cm instanceof DirectColorModel;
        if (plain && csType == ColorSpace.TYPE_GRAY) {
            int bits = cm.getComponentSize(0);
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) scale(row[x * bands], bits);
                    int o = 3 * (y * w + x);
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                }
            }
            return out;
        }
        if (plain && csType == ColorSpace.TYPE_RGB && bands >= 3) {
            int[] bits = {cm.getComponentSize(0), cm.getComponentSize(1), cm.getComponentSize(2)};
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = 3 * (y * w + x);
                    for (int c = 0; c < 3; c++) {
                        out[o + c] = (byte) scale(row[x * bands + c], bits[c]);
                    }
                }
            }
            return out;
        }
        // Anything else (e.g. a CMYK raster a plugin did not convert): let Java2D convert to sRGB.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                int o = 3 * (y * w + x);
                out[o] = (byte) (argb >> 16);
                out[o + 1] = (byte) (argb >> 8);
                out[o + 2] = (byte) argb;
            }
        }
        return out;
    }

    /** 8-bit grey level per pixel: the scaled sample of grey images, the PIL luminance of others. */
    public static byte[] toGrey(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        boolean plain = cm instanceof ComponentColorModel || cm instanceof DirectColorModel;
        if (plain && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster r = img.getRaster();
            int bands = r.getNumBands();
            int bits = cm.getComponentSize(0);
            byte[] out = new byte[w * h];
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) scale(row[x * bands], bits);
                }
            }
            return out;
        }
        byte[] rgb = toRgb(img);
        byte[] out = new byte[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) luminance(rgb[3 * i] & 0xff, rgb[3 * i + 1] & 0xff, rgb[3 * i + 2] & 0xff);
        }
        return out;
    }

    /** PIL's {@code convert("L")}: ITU-R 601-2 luma in fixed point. */
    static int luminance(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** A sample of {@code bits} bits scaled to 0..255, rounding to nearest. */
    static int scale(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        long max = (1L << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }

    static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
    }

    static boolean isPng(byte[] b) {
        return b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /** FFD9 cannot occur inside entropy-coded data (FF is stuffed there), so its absence at the end means truncation. */
    static boolean hasJpegEnd(byte[] b) {
        for (int i = b.length - 2; i >= Math.max(0, b.length - JPEG_TAIL); i--) {
            if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    static boolean hasPngEnd(byte[] b) {
        for (int i = b.length - 8; i >= Math.max(8, b.length - PNG_TAIL); i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
