package org.mqn4j.fusion;

import org.mqn4j.ops.BilinearResize;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

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
 * bias, weight stored as torch's [out, in, 3, 3]: {@code decoder.{i}.conv1/conv2.weight}), norm and
 * ReLU. The norm is a LayerNorm over the channels of each pixel ({@code decoder.{i}.norm1/norm2}, eps
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
            x = block(p, prefix, "1", x, dc + dims[i], width);
            d = block(p, prefix, "2", x, width, width);
            dc = width;
        }
        SDVariable m = Pointwise.apply(p, "decoder.classifier", d, dc, 2, -1, sizes[0][0], sizes[0][1], 2);
        SDVariable up = BilinearResize.resize(sd, "decoder.up", m, sizes[0][0], sizes[0][1], 2, outH, outW);
        return up.permute(0, 3, 1, 2).rename(name);
    }

    /** 3×3 convolution (padding 1, no bias) → LayerNorm over channels → ReLU, [B,h,w,in] → [B,h,w,out]. */
    static SDVariable block(Params p, String prefix, String k, SDVariable x, int in, int out) {
        SameDiff sd = p.sameDiff();
        SDVariable weight = p.uniform(prefix + ".conv" + k + ".weight", 1.0 / Math.sqrt(9.0 * in), out, in, 3, 3);
        // conv2d wants [kH, kW, iC, oC]: its backprop fails with OIHW weights in M2.1
        SDVariable kernel = weight.permute(2, 3, 1, 0);
        Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
        SDVariable y = sd.cnn.conv2d(prefix + ".conv" + k, x, kernel, conv);
        y = p.layerNorm(prefix + ".norm" + k, y, out, 1e-5);
        return sd.nn.relu(y, 0.0);
    }
}
