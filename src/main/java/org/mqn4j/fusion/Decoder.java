package org.mqn4j.fusion;

import org.mqn4j.ops.BilinearResize;
import org.mqn4j.ops.Params;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;

/**
 * The decoder of MQN Eq. 11, channels last:
 * <pre>
 *   D_4 = F^4
 *   D_i = Conv(Cat(Up(D_{i+1}), F^i)),  i = 3, 2, 1        decoder.{i}.*
 *   M   = Up(Conv1×1(D_1))  to the input size, 2 classes   decoder.classifier.*, output [B,2,S,S]
 * </pre>
 * With a fine stage (channels {@code fineDim} &gt; 0, not in the paper) the mask comes from half the
 * input size instead of stage 1's quarter:
 * <pre>
 *   E   = Conv2×2/2(I)                                     decoder.0.stem.*   (the normalised image)
 *   D_0 = Conv(Cat(Up(D_1), E))                            decoder.0.*
 *   M   = Up(Conv1×1(D_0))
 * </pre>
 * At 96 px a product is often 10-20 px wide, and a mask drawn at stride 4 and resized cannot follow
 * its outline: the ground-truth masks of the synthetic test split, averaged to 24×24 and resized back,
 * reach 91.9 mIoU at best, and 97.4 from 48×48 (results/fine-decoder.md). E is torch's
 * {@code Conv2d(3, fineDim, 2, stride=2)} (weight [fineDim, 3, 2, 2], bias), the only pixel-level
 * input the decoder sees.
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
     * The normalisation after each 3×3 convolution (and, in {@link MqnNetwork}, of the fused features the
     * decoder reads). LAYER normalises each pixel's channels, so a pixel's vector is rescaled to unit size
     * and how strongly it matches the title is lost if that is its length; GROUP ({@code nn.GroupNorm(1, C)},
     * {@link org.mqn4j.ops.GroupNorm}) normalises each map as a whole and keeps it. Not in the paper, whose decoder (LAVT's)
     * uses BatchNorm.
     */
    public enum Norm {
        LAYER, GROUP;

        /** The YAML spelling: layer, group. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Norm parse(String s, String source) {
            for (Norm n : values()) {
                if (n.key().equals(s.toLowerCase(Locale.ROOT))) {
                    return n;
                }
            }
            throw new MqnException(source + ": decoder_norm '" + s + "' is not one of layer, group");
        }

        /** This norm of x [B,h,w,c], parameters {@code prefix.weight} (ones) and {@code prefix.bias} (zeros). */
        public SDVariable apply(Params p, String prefix, SDVariable x, int h, int w, int c) {
            return this == LAYER ? p.layerNorm(prefix, x, c, 1e-5) : p.groupNorm(prefix, x, h, w, c, 1e-5);
        }
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
        return apply(p, name, features, sizes, dims, width, null, 0, Norm.LAYER, outH, outW);
    }

    /**
     * As {@link #apply(Params, String, List, int[][], int[], int, int, int)}, with a fine stage of
     * {@code fineDim} channels at half the input size when {@code fineDim} &gt; 0.
     *
     * @param image   the input image [B,3,outH,outW] (outH and outW even); unused when fineDim is 0
     * @param fineDim channels of D_0 and E (0: the paper's decoder)
     * @param norm    the norm after each convolution
     */
    public static SDVariable apply(Params p, String name, List<SDVariable> features, int[][] sizes, int[] dims,
                                   int width, SDVariable image, int fineDim, Norm norm, int outH, int outW) {
        if (fineDim < 0) {
            throw new IllegalArgumentException("fineDim must be >= 0, got " + fineDim);
        }
        if (fineDim > 0 && image == null) {
            throw new IllegalArgumentException("the fine decoder stage (fineDim " + fineDim + ") reads the input image; pass it");
        }
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
            x = block(p, prefix, "1", x, h, w, dc + dims[i], width, norm);
            d = block(p, prefix, "2", x, h, w, width, width, norm);
            dc = width;
        }
        int mh = sizes[0][0];
        int mw = sizes[0][1];
        if (fineDim > 0) {
            if (outH % 2 != 0 || outW % 2 != 0) {
                throw new IllegalArgumentException("the fine decoder stage needs an even input size, not " + outH + "x" + outW);
            }
            int h = outH / 2;
            int w = outW / 2;
            SDVariable e = stem(p, "decoder.0.stem", image, outH, outW, fineDim);
            SDVariable up = BilinearResize.resize(sd, "decoder.0.up", d, mh, mw, dc, h, w);
            SDVariable x = block(p, "decoder.0", "1", sd.concat(3, up, e), h, w, dc + fineDim, fineDim, norm);
            d = block(p, "decoder.0", "2", x, h, w, fineDim, fineDim, norm);
            dc = fineDim;
            mh = h;
            mw = w;
        }
        SDVariable m = Pointwise.apply(p, "decoder.classifier", d, dc, 2, -1, mh, mw, 2);
        SDVariable up = BilinearResize.resize(sd, "decoder.up", m, mh, mw, 2, outH, outW);
        return up.permute(0, 3, 1, 2).rename(name);
    }

    /**
     * torch's {@code Conv2d(3, out, kernel_size=2, stride=2)} on the image [B,3,H,W] (H, W even), channels
     * last: [B,H/2,W/2,out]; weight [out,3,2,2] and bias [out] uniform in ±1/√12 as torch initialises them.
     * Computed as space-to-depth (each 2×2 cell's 12 values in the weight's (c, ky, kx) order) and a matmul.
     */
    static SDVariable stem(Params p, String prefix, SDVariable image, int hIn, int wIn, int out) {
        SameDiff sd = p.sameDiff();
        double bound = 1.0 / Math.sqrt(12.0);
        SDVariable weight = p.uniform(prefix + ".weight", bound, out, 3, 2, 2);
        SDVariable bias = p.uniform(prefix + ".bias", bound, out);
        int h = hIn / 2;
        int w = wIn / 2;
        SDVariable cells = image.reshape(-1, 3, h, 2, w, 2).permute(0, 2, 4, 1, 3, 5).reshape(-1, 12); // [(B,i,j), (c,ky,kx)]
        SDVariable y = sd.mmul(cells, weight.reshape(out, 12), false, true, false).add(bias);
        return y.reshape(-1, h, w, out).rename(prefix);
    }

    /**
     * 3×3 convolution (padding 1, no bias) → LayerNorm over channels → ReLU, [B,h,w,in] → [B,h,w,out].
     * The convolution is computed as Z = X·[W_0 … W_8] (one matmul giving the 9 taps' contributions)
     * and Y = Σ_k shift_k(Z_k) (slices of the zero-padded Z): the same sum as torch's conv2d, and
     * about 2.5× faster to train than M2.1's conv2d, whose backprop is slow.
     */
    static SDVariable block(Params p, String prefix, String k, SDVariable x, int h, int w, int in, int out, Norm norm) {
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
        y = norm.apply(p, prefix + ".norm" + k, y.rename(prefix + ".conv" + k), h, w, out);
        return sd.nn.relu(y, 0.0);
    }
}
