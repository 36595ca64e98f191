package org.mqn4j.data;

/**
 * Image resizing with PyTorch's conventions, so that tensors match a Python pipeline.
 *
 * <p>{@link #bilinearRgb}: {@code F.interpolate(x, size, mode="bilinear", align_corners=False,
 * antialias=False)}: output pixel d samples source coordinate {@code s = (d + 0.5) * in/out - 0.5},
 * clamped below at 0; its neighbours are {@code floor(s)} and {@code floor(s)+1} clamped to the last
 * pixel, weighted by the fractional part (half-pixel centres; no antialiasing when shrinking).
 *
 * <p>{@link #nearest}: {@code F.interpolate(x, size, mode="nearest")}:
 * {@code s = min(floor(d * (float) in/out), in - 1)} computed in float, as PyTorch does.
 */
public final class Resize {
    private Resize() {
    }

    /** Source indices and weights of one axis for bilinear resizing. */
    static final class Axis {
        final int[] i0;
        final int[] i1;
        final float[] w0;
        final float[] w1;

        Axis(int in, int out) {
            i0 = new int[out];
            i1 = new int[out];
            w0 = new float[out];
            w1 = new float[out];
            float scale = (float) in / out;
            for (int d = 0; d < out; d++) {
                float s = scale * (d + 0.5f) - 0.5f;
                if (s < 0) {
                    s = 0;
                }
                int a = (int) s;
                int b = a + (a < in - 1 ? 1 : 0);
                float l1 = s - a;
                i0[d] = a;
                i1[d] = b;
                w1[d] = l1;
                w0[d] = 1f - l1;
            }
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
        Axis ax = new Axis(inW, outW);
        Axis ay = new Axis(inH, outH);
        int plane = outH * outW;
        float[] a = new float[3];
        float[] b = new float[3];
        for (int c = 0; c < 3; c++) {
            a[c] = 1f / (255f * std[c]);
            b[c] = -mean[c] / std[c];
        }
        // Separable: each source row interpolated along x once, then rows blended along y; the same
        // float operations as h0*(w0*a + w1*b) + h1*(w0*c + w1*d), in the same order.
        float[] rows = new float[3 * inH * outW];
        for (int y = 0; y < inH; y++) {
            int in = y * inW * 3;
            for (int x = 0; x < outW; x++) {
                int c0 = in + ax.i0[x] * 3;
                int c1 = in + ax.i1[x] * 3;
                float w0 = ax.w0[x];
                float w1 = ax.w1[x];
                for (int c = 0; c < 3; c++) {
                    rows[(c * inH + y) * outW + x] = w0 * (src[c0 + c] & 0xff) + w1 * (src[c1 + c] & 0xff);
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            float ac = a[c];
            float bc = b[c];
            for (int y = 0; y < outH; y++) {
                int r0 = (c * inH + ay.i0[y]) * outW;
                int r1 = (c * inH + ay.i1[y]) * outW;
                float h0 = ay.w0[y];
                float h1 = ay.w1[y];
                int o = off + c * plane + y * outW;
                for (int x = 0; x < outW; x++) {
                    out[o + x] = (h0 * rows[r0 + x] + h1 * rows[r1 + x]) * ac + bc;
                }
            }
        }
    }

    /** Bilinear resize of one float plane (row-major), PyTorch conventions as above. */
    public static float[] bilinear(float[] src, int inH, int inW, int outH, int outW) {
        Axis ax = new Axis(inW, outW);
        Axis ay = new Axis(inH, outH);
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            int r0 = ay.i0[y] * inW;
            int r1 = ay.i1[y] * inW;
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = ay.w0[y] * (ax.w0[x] * src[r0 + ax.i0[x]] + ax.w1[x] * src[r0 + ax.i1[x]])
                        + ay.w1[y] * (ax.w0[x] * src[r1 + ax.i0[x]] + ax.w1[x] * src[r1 + ax.i1[x]]);
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
