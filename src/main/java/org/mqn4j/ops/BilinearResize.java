package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's {@code F.interpolate(x, size, mode="bilinear", align_corners=False)} on a channels-last
 * map [B,H,W,C], as two products with constant interpolation matrices ({@code R_h·x} along H, then
 * along W). ND4J's {@code resizeBilinear}/{@code imageResize} have broken gradients in M2.1; these
 * matmuls are exact for any sizes (odd ones too) and differentiate like any mmul.
 */
public final class BilinearResize {
    private BilinearResize() {
    }

    /**
     * The [out, in] matrix R with {@code y = R·x} resizing one axis as torch does for a given output
     * size: source coordinate (i + ½)·in/out − ½, clamped at 0, linear between its two neighbours.
     */
    public static double[][] matrix(int in, int out) {
        double[][] r = new double[out][in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max((i + 0.5) * scale - 0.5, 0.0);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double lambda = src - i0;
            r[i][i0] += 1.0 - lambda;
            r[i][i1] += lambda;
        }
        return r;
    }

    /**
     * Resizes {@code x} [B,h,w,C] (B dynamic, h, w, C known) to [B,outH,outW,C]; the result is named
     * {@code name}. An axis whose size does not change is left alone.
     */
    public static SDVariable resize(SameDiff sd, String name, SDVariable x, int h, int w, long c, int outH, int outW) {
        DataType type = x.dataType();
        SDVariable y = x;
        if (outH != h) { // [B,h,w,C] → [h, B·w·C] → R_h· → [outH,B,w,C] → [B,outH,w,C]
            SDVariable rh = sd.constant(name + ".rows", matrixArray(h, outH, type));
            SDVariable flat = y.permute(1, 0, 2, 3).reshape(h, -1);
            y = sd.mmul(rh, flat).reshape(outH, -1, w, c).permute(1, 0, 2, 3);
        }
        if (outW != w) { // [B,H,w,C] → [w, B·H·C] → R_w· → [outW,B,H,C] → [B,H,outW,C]
            SDVariable rw = sd.constant(name + ".cols", matrixArray(w, outW, type));
            SDVariable flat = y.permute(2, 0, 1, 3).reshape(w, -1);
            y = sd.mmul(rw, flat).reshape(outW, -1, outH, c).permute(1, 2, 0, 3);
        }
        return sd.identity(name, y);
    }

    private static INDArray matrixArray(int in, int out, DataType type) {
        return Nd4j.createFromArray(matrix(in, out)).castTo(type);
    }
}
