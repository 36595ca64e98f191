package org.mqn4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns an {@link MmpsRecord} into model input: the image resized bilinearly to {@code size x size}
 * (PyTorch conventions, see {@link Resize}), scaled to [0,1] and normalised with the ImageNet mean
 * and std, as planar CHW floats; the mask resized with nearest neighbour, as 0/1 floats.
 * Thread-safe (no mutable state).
 */
public final class SampleLoader {
    /** ImageNet channel means (R, G, B) of [0,1] pixel values. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet channel standard deviations (R, G, B). */
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final Path root;
    private final int size;

    /**
     * @param root dataset root (for messages: paths are shown relative to it)
     * @param size the model's input size S; images and masks become S x S
     */
    public SampleLoader(Path root, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        this.root = root;
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** A record's image and mask at their own size, decoded and checked against each other. */
    public record Decoded(MmpsRecord record, RgbImage image, BinaryMask mask) {
    }

    /**
     * Decodes a record's image and mask.
     *
     * @throws BadRecordException naming the record when a file is missing, damaged or the sizes differ
     */
    public Decoded decode(MmpsRecord r) {
        List<DataProblem> problems = new ArrayList<>();
        Decoded d = decode(r, problems);
        for (DataProblem p : problems) {
            if (p.isError()) {
                throw new BadRecordException(p);
            }
        }
        return d;
    }

    /**
     * Everything wrong with a record's files: errors for missing or damaged files and mismatched
     * sizes, warnings for an empty or full mask.
     */
    public List<DataProblem> check(MmpsRecord r) {
        List<DataProblem> problems = new ArrayList<>();
        Decoded d = decode(r, problems);
        if (d != null) {
            long fg = d.mask().count();
            long n = (long) d.mask().width() * d.mask().height();
            if (fg == 0) {
                problems.add(DataProblem.warning(r, "empty mask " + rel(r.mask()) + " (no pixel >= 128)"));
            } else if (fg == n) {
                problems.add(DataProblem.warning(r, "full mask " + rel(r.mask()) + " (every pixel >= 128)"));
            }
        }
        return problems;
    }

    private Decoded decode(MmpsRecord r, List<DataProblem> problems) {
        RgbImage image = null;
        BinaryMask mask = null;
        try {
            image = ImageDecoder.readRgb(r.image());
        } catch (BadImageException e) {
            problems.add(DataProblem.error(r, describe(e, "image", r.image())));
        }
        try {
            mask = ImageDecoder.readMask(r.mask());
        } catch (BadImageException e) {
            problems.add(DataProblem.error(r, describe(e, "mask", r.mask())));
        }
        if (image == null || mask == null) {
            return null;
        }
        if (image.width() != mask.width() || image.height() != mask.height()) {
            problems.add(DataProblem.error(r, "mask size " + mask.width() + "x" + mask.height() + " of " + rel(r.mask())
                    + " differs from image size " + image.width() + "x" + image.height() + " of " + rel(r.image())));
            return null;
        }
        return new Decoded(r, image, mask);
    }

    /**
     * Loads a record at the model size into {@code images} ({@code 3*S*S} floats from {@code imageOff},
     * CHW, normalised) and {@code masks} ({@code S*S} floats 0/1 from {@code maskOff}).
     *
     * @throws BadRecordException naming the record when it cannot be used
     */
    public void load(MmpsRecord r, float[] images, int imageOff, float[] masks, int maskOff) {
        load(r, images, imageOff, masks, maskOff, Augmentation.NONE, null);
    }

    /**
     * As {@link #load(MmpsRecord, float[], int, float[], int)}, the image and mask first changed by {@code aug}
     * (at their own size) with draws from {@code rnd}.
     */
    public void load(MmpsRecord r, float[] images, int imageOff, float[] masks, int maskOff, Augmentation aug,
                     SplittableRandom rnd) {
        Decoded d = decode(r);
        RgbImage image = d.image();
        BinaryMask mask = d.mask();
        if (!aug.isNone()) {
            Augmentation.Sample a = aug.apply(image, mask, rnd);
            image = a.image();
            mask = a.mask();
        }
        Resize.bilinearRgb(image, size, size, MEAN, STD, images, imageOff);
        byte[] m = new byte[size * size];
        Resize.nearestInto(mask, size, size, m, 0);
        for (int i = 0; i < m.length; i++) {
            masks[maskOff + i] = m[i];
        }
    }

    /** "truncated image images/x.jpg (no JPEG end-of-image marker ...)". */
    private String describe(BadImageException e, String what, Path file) {
        if ("missing".equals(e.kind())) {
            return "missing " + what + " file " + rel(file);
        }
        return e.kind() + " " + what + " " + rel(file) + " (" + e.detail() + ")";
    }

    /** A path relative to the dataset root when it lies under it. */
    String rel(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        return abs.startsWith(r) ? r.relativize(abs).toString() : p.toString();
    }
}
