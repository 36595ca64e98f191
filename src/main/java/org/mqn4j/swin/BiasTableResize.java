package org.mqn4j.swin;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resizes a relative position bias table [(2W−1)², heads] to another window, as the official
 * Swin and LAVT do when fine-tuning at a new window: the table is seen as a [heads, 2W−1, 2W−1]
 * grid and resized with torch's {@code F.interpolate(mode='bicubic', align_corners=False)}
 * (cubic convolution with A = −0.75, source index scale·(dst+0.5)−0.5, edge indices clamped).
 */
public final class BiasTableResize {
    private static final double A = -0.75;

    private BiasTableResize() {
    }

    /** Window side W of a table with {@code rows} = (2W−1)² rows, or −1 if rows is not of that form. */
    public static int windowOf(long rows) {
        long side = Math.round(Math.sqrt((double) rows));
        if (side * side != rows || side % 2 == 0) {
            return -1;
        }
        return (int) ((side + 1) / 2);
    }

    /** {@code table} [(2W−1)², heads] resized to {@code window}: [(2·window−1)², heads], FLOAT. */
    public static INDArray resize(INDArray table, int window) {
        if (table.rank() != 2 || windowOf(table.size(0)) < 0) {
            throw new IllegalArgumentException("a relative position bias table is [(2W-1)^2, heads], got "
                    + java.util.Arrays.toString(table.shape()));
        }
        int heads = (int) table.size(1);
        int in = 2 * windowOf(table.size(0)) - 1;
        int out = 2 * window - 1;
        double[] src = table.castTo(DataType.DOUBLE).dup('c').data().asDouble(); // [in*in, heads]
        double[] rows = new double[in * out * heads];   // after resizing along the column axis
        double[] dst = new double[out * out * heads];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            Tap t = tap(o, scale, in);
            for (int r = 0; r < in; r++) {
                for (int h = 0; h < heads; h++) {
                    double s = 0;
                    for (int k = 0; k < 4; k++) {
                        s += t.w[k] * src[(r * in + t.idx[k]) * heads + h];
                    }
                    rows[(r * out + o) * heads + h] = s;
                }
            }
        }
        for (int o = 0; o < out; o++) {
            Tap t = tap(o, scale, in);
            for (int c = 0; c < out; c++) {
                for (int h = 0; h < heads; h++) {
                    double s = 0;
                    for (int k = 0; k < 4; k++) {
                        s += t.w[k] * rows[(t.idx[k] * out + c) * heads + h];
                    }
                    dst[(o * out + c) * heads + h] = s;
                }
            }
        }
        return Nd4j.createFromArray(dst).reshape(out * out, heads).castTo(DataType.FLOAT);
    }

    private record Tap(int[] idx, double[] w) {
    }

    /** The four source indices (clamped) and cubic weights for output index {@code o}. */
    private static Tap tap(int o, double scale, int in) {
        double real = scale * (o + 0.5) - 0.5;
        int base = (int) Math.floor(real);
        double t = real - base;
        int[] idx = new int[4];
        for (int k = 0; k < 4; k++) {
            idx[k] = Math.min(Math.max(base - 1 + k, 0), in - 1);
        }
        double[] w = {far(t + 1), near(t), near(1 - t), far(2 - t)};
        return new Tap(idx, w);
    }

    /** Cubic convolution weight for |x| ≤ 1. */
    private static double near(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Cubic convolution weight for 1 < |x| < 2. */
    private static double far(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
