package org.mqn4j.swin;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The stem, torchvision's {@code features.0}: a patch×patch convolution with stride patch
 * ({@code features.0.0}, weight stored as torch's [C, 3, p, p]), to channels last, LayerNorm
 * ({@code features.0.2}). [B, 3, H, W] → [B, ⌊H/p⌋, ⌊W/p⌋, C]. The convolution is computed as
 * non-overlapping patches times the flattened weight.
 */
public final class PatchEmbed {
    private PatchEmbed() {
    }

    public static SDVariable apply(Params p, SDVariable image, int height, int width, int patch, int dim, double eps) {
        double bound = 1.0 / Math.sqrt(3.0 * patch * patch);
        SDVariable weight = p.uniform("features.0.0.weight", bound, dim, 3, patch, patch);
        SDVariable bias = p.uniform("features.0.0.bias", bound, dim);
        // The stride-p convolution as patchify + one matmul: same arithmetic, and several times
        // faster in training than conv2d, whose backprop also computes the unused image gradient.
        int h = height / patch;
        int w = width / patch;
        SDVariable x = image;
        if (h * patch != height || w * patch != width) { // a VALID convolution ignores the remainder
            x = x.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, h * patch), SDIndex.interval(0, w * patch));
        }
        SDVariable patches = x.reshape(-1, 3, h, patch, w, patch).permute(0, 2, 4, 1, 3, 5)
                .reshape(-1, 3L * patch * patch);                                      // [B·h·w, 3·p·p]
        SDVariable y = p.sameDiff().mmul(patches, weight.reshape(dim, 3L * patch * patch), false, true, false)
                .add(bias).reshape(-1, h, w, dim).rename("features.0.0");
        return p.layerNorm("features.0.2", y, dim, eps);
    }
}
