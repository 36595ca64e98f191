package org.mqn4j.data;

/**
 * Image resizing with PyTorch's conventions, so that tensors match a Python pipeline.
 *
 * <p>{@link #bilinearRgb}, {@link #bilinear}: {@code F.interpolate(x, size, mode="bilinear", align_corners=False,
 * antialias=True)}, which is also torchvision's {@code Resize} on tensors and PIL's bilinear resize. Enlarging,
 * output pixel d samples source coordinate {@code s = (d + 0.5) * in/out - 0.5}, clamped below at 0; its
 * neighbours are {@code floor(s)} and {@code floor(s)+1} clamped to the last pixel, weighted by the fractional
 * part (half-pixel centres). Shrinking by a factor {@code k = in/out}, the triangle filter is widened to
 * {@code k} source pixels on each side of the centre {@code (d + 0.5) * k}, and its weights over the pixels
 * inside the image are normalised to sum 1: every source pixel contributes, so a large photo brought down to
 * the model's input looks like an image drawn at that size (without it, 800 to 96 px samples 4 of every 69
 * pixels: thin lines and textures alias into speckle the model never saw in training).
 *
 * <p>{@link #nearest}: {@code F.interpolate(x, size, mode="nearest")}:
 * {@code s = min(floor(d * (float) in/out), in - 1)} computed in float, as PyTorch does.
 */
public final class Resize {
    private Resize() {
    }

    /**
     * Source taps of one axis: output d reads {@code count[d]} consecutive pixels from {@code first[d]} with the
     * weights {@code weight[d * taps + j]} (PyTorch's {@code _compute_weights_aa} when shrinking).
     */
    static final class Axis {
        final int taps;
        final int[] first;
        final int[] count;
        final float[] weight;

        Axis(int in, int out) {
            first = new int[out];
            count = new int[out];
            float scale = (float) in / out;
            if (scale <= 1f) {
                taps = 2;
                weight = new float[2 * out];
                for (int d = 0; d < out; d++) {
                    float s = scale * (d + 0.5f) - 0.5f;
                    if (s < 0) {
                        s = 0;
                    }
                    int a = (int) s;
                    float l1 = s - a;
                    first[d] = a;
                    count[d] = a < in - 1 ? 2 : 1;   // past the last pixel's centre: that pixel alone
                    weight[2 * d] = count[d] == 2 ? 1f - l1 : 1f;
                    weight[2 * d + 1] = count[d] == 2 ? l1 : 0f;
                }
            } else {
                float support = scale;   // bilinear: half of 2 taps, times the scale
                taps = (int) Math.ceil(support) * 2 + 1;
                weight = new float[taps * out];
                float invScale = 1f / scale;
                for (int d = 0; d < out; d++) {
                    float center = scale * (d + 0.5f);
                    int lo = Math.max((int) (center - support + 0.5f), 0);
                    int n = Math.min((int) (center + support + 0.5f), in) - lo;
                    float total = 0f;
                    for (int j = 0; j < n; j++) {
                        float w = Math.max(0f, 1f - Math.abs((j + lo - center + 0.5f) * invScale));
                        weight[d * taps + j] = w;
                        total += w;
                    }
                    for (int j = 0; j < n && total != 0f; j++) {
                        weight[d * taps + j] /= total;
                    }
                    first[d] = lo;
                    count[d] = n;
                }
            }
        }

        /** Output d of a line of values {@code src[off + i * stride]}. */
        float apply(int d, float[] src, int off, int stride) {
            float acc = 0f;
            int w = d * taps;
            int i = off + first[d] * stride;
            for (int j = 0; j < count[d]; j++, i += stride) {
                acc += weight[w + j] * src[i];
            }
            return acc;
        }
    }

    /**
     * Bilinear resize of interleaved 8-bit RGB to planar float (CHW) values, each channel then mapped
     * by {@code v -> (v/255 - mean[c]) / std[c]}.
     *
     * @param out  destination, {@code 3*outH*outW} floats written from {@code off}
     */
    public static void bilinearRgb(RgbImage img, int outH, int outW, float[] mean, float[] std, float[] out, int off) {
        int inW = img.width();
        int inH = img.height();
        byte[] src = img.rgb();
        int plane = outH * outW;
        float[] chw = new float[3 * inH * inW];
        for (int i = 0; i < inH * inW; i++) {
            for (int c = 0; c < 3; c++) {
                chw[c * inH * inW + i] = src[3 * i + c] & 0xff;
            }
        }
        for (int c = 0; c < 3; c++) {
            float[] r = bilinear(chw, c * inH * inW, inH, inW, outH, outW);
            float ac = 1f / (255f * std[c]);
            float bc = -mean[c] / std[c];
            int o = off + c * plane;
            for (int i = 0; i < plane; i++) {
                out[o + i] = r[i] * ac + bc;
            }
        }
    }

    /** Bilinear resize of one float plane (row-major), PyTorch conventions as above: along x first, then y. */
    public static float[] bilinear(float[] src, int inH, int inW, int outH, int outW) {
        return bilinear(src, 0, inH, inW, outH, outW);
    }

    private static float[] bilinear(float[] src, int off, int inH, int inW, int outH, int outW) {
        Axis ax = new Axis(inW, outW);
        Axis ay = new Axis(inH, outH);
        float[] rows = new float[inH * outW];
        for (int y = 0; y < inH; y++) {
            for (int x = 0; x < outW; x++) {
                rows[y * outW + x] = ax.apply(x, src, off + y * inW, 1);
            }
        }
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = ay.apply(y, rows, x, outW);
            }
        }
        return out;
    }

    /** Source index of output index {@code d} for nearest-neighbour resizing from {@code in} to {@code out}. */
    public static int nearestIndex(int d, int in, int out) {
        if (in == out) {
            return d;
        }
        float scale = (float) in / out;
        return Math.min((int) Math.floor(d * scale), in - 1);
    }

    /** Nearest-neighbour resize of a mask. */
    public static BinaryMask nearest(BinaryMask m, int outH, int outW) {
        if (m.width() == outW && m.height() == outH) {
            return m;
        }
        byte[] out = new byte[outH * outW];
        nearestInto(m, outH, outW, out, 0);
        return new BinaryMask(outW, outH, out);
    }

    /** Nearest-neighbour resize of a mask into {@code out} from {@code off} ({@code outH*outW} values). */
    static void nearestInto(BinaryMask m, int outH, int outW, byte[] out, int off) {
        int[] xs = new int[outW];
        for (int x = 0; x < outW; x++) {
            xs[x] = nearestIndex(x, m.width(), outW);
        }
        byte[] bits = m.bits();
        for (int y = 0; y < outH; y++) {
            int row = nearestIndex(y, m.height(), outH) * m.width();
            for (int x = 0; x < outW; x++) {
                out[off + y * outW + x] = bits[row + xs[x]];
            }
        }
    }
}
