package org.mqn4j.fusion;

import org.mqn4j.ops.BilinearResize;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * The decoder of MQN Eq. 11, channels last:
 * <pre>
 *   D_4 = F^4
 *   D_i = Conv(Cat(Up(D_{i+1}), F^i)),  i = 3, 2, 1        decoder.{i}.*
 *   M   = Up(Conv1×1(D_1))  to the input size, 2 classes   decoder.classifier.*, output [B,2,S,S]
 * </pre>
 * Up is exact bilinear resizing (torch {@code align_corners=False}, {@link BilinearResize}) to the
 * finer stage's size, so odd stage sizes work. Conv is two blocks of 3×3 convolution (padding 1, no
 * bias, weight stored as torch's [out, in, 3, 3]: {@code decoder.{i}.conv1/conv2.weight}; computed
 * as a matmul and shifted sums, see {@link #block}), norm and ReLU. The norm is a LayerNorm over the channels of each pixel ({@code decoder.{i}.norm1/norm2}, eps
 * 1e-5) rather than LAVT's BatchNorm: it behaves the same in training and inference and at any batch
 * size, needs no running statistics (which SameDiff does not update as torch does), and is the
 * project's tested {@link org.mqn4j.ops.LayerNorm}.
 */
public final class Decoder {
    private Decoder() {
    }

    /**
     * @param features F^1..F^4, each [B,h_i,w_i,c_i] (index 0 = stage 1)
     * @param sizes    {h_i, w_i} per stage
     * @param dims     c_i per stage
     * @param width    channels of D_3, D_2, D_1
     * @param outH     output height (input image)
     * @param outW     output width
     * @return logits [B,2,outH,outW], named {@code name}
     */
    public static SDVariable apply(Params p, String name, List<SDVariable> features, int[][] sizes, int[] dims,
                                   int width, int outH, int outW) {
        SameDiff sd = p.sameDiff();
        int last = features.size() - 1;
        SDVariable d = features.get(last);
        int dc = dims[last];
        for (int i = last - 1; i >= 0; i--) {
            int h = sizes[i][0];
            int w = sizes[i][1];
            String prefix = "decoder." + (i + 1);
            SDVariable up = BilinearResize.resize(sd, prefix + ".up", d, sizes[i + 1][0], sizes[i + 1][1], dc, h, w);
            SDVariable x = sd.concat(3, up, features.get(i));
            x = block(p, prefix, "1", x, h, w, dc + dims[i], width);
            d = block(p, prefix, "2", x, h, w, width, width);
            dc = width;
        }
        SDVariable m = Pointwise.apply(p, "decoder.classifier", d, dc, 2, -1, sizes[0][0], sizes[0][1], 2);
        SDVariable up = BilinearResize.resize(sd, "decoder.up", m, sizes[0][0], sizes[0][1], 2, outH, outW);
        return up.permute(0, 3, 1, 2).rename(name);
    }

    /**
     * 3×3 convolution (padding 1, no bias) → LayerNorm over channels → ReLU, [B,h,w,in] → [B,h,w,out].
     * The convolution is computed as Z = X·[W_0 … W_8] (one matmul giving the 9 taps' contributions)
     * and Y = Σ_k shift_k(Z_k) (slices of the zero-padded Z): the same sum as torch's conv2d, and
     * about 2.5× faster to train than M2.1's conv2d, whose backprop is slow.
     */
    static SDVariable block(Params p, String prefix, String k, SDVariable x, int h, int w, int in, int out) {
        SameDiff sd = p.sameDiff();
        SDVariable weight = p.uniform(prefix + ".conv" + k + ".weight", 1.0 / Math.sqrt(9.0 * in), out, in, 3, 3);
        SDVariable taps = weight.permute(1, 2, 3, 0).reshape(in, 9L * out);            // [in, (ky, kx, out)]
        SDVariable z = sd.mmul(x.reshape(-1, in), taps).reshape(-1, h, w, 9L * out);
        SDVariable zp = sd.nn.pad(z, sd.constant(Nd4j.createFromArray(new int[][]{{0, 0}, {1, 1}, {1, 1}, {0, 0}})), 0.0);
        SDVariable y = null;
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) { // y[i, j] += x[i+ky-1, j+kx-1]·W[:, :, ky, kx] = zp[i+ky, j+kx, tap]
                long tap = 3L * ky + kx;
                SDVariable part = zp.get(SDIndex.all(), SDIndex.interval(ky, ky + h), SDIndex.interval(kx, kx + w),
                        SDIndex.interval(tap * out, (tap + 1) * out));
                y = y == null ? part : y.add(part);
            }
        }
        y = p.layerNorm(prefix + ".norm" + k, y.rename(prefix + ".conv" + k), out, 1e-5);
        return sd.nn.relu(y, 0.0);
    }
}
