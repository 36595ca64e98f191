package org.mqn4j.swin;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * The stem, torchvision's {@code features.0}: a patch×patch convolution with stride patch
 * ({@code features.0.0}, weight stored as torch's [C, 3, p, p]), permute to channels last, LayerNorm
 * ({@code features.0.2}). [B, 3, H, W] → [B, ⌊H/p⌋, ⌊W/p⌋, C].
 */
public final class PatchEmbed {
    private PatchEmbed() {
    }

    public static SDVariable apply(Params p, SDVariable image, int patch, int dim, double eps) {
        SameDiff sd = p.sameDiff();
        double bound = 1.0 / Math.sqrt(3.0 * patch * patch);
        SDVariable weight = p.uniform("features.0.0.weight", bound, dim, 3, patch, patch);
        SDVariable bias = p.uniform("features.0.0.bias", bound, dim);
        // conv2d wants [kH, kW, iC, oC]: its backprop fails with OIHW weights in M2.1
        SDVariable kernel = weight.permute(2, 3, 1, 0);
        Conv2DConfig conv = Conv2DConfig.builder().kH(patch).kW(patch).sH(patch).sW(patch)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        SDVariable y = sd.cnn.conv2d("features.0.0", image, kernel, bias, conv).permute(0, 2, 3, 1);
        return p.layerNorm("features.0.2", y, dim, eps);
    }
}
