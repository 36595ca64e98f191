package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * GroupNorm with one group on channels-last maps, as PyTorch's {@code nn.GroupNorm(1, C)} on the
 * channels-first tensor: each sample is normalised over all of its h·w·C values,
 * {@code (x − mean) / sqrt(var + eps) · weight[c] + bias[c]} with the biased variance. Unlike a
 * LayerNorm over each pixel's channels it keeps how large one pixel's vector is against the others
 * of the same map, and unlike BatchNorm it needs no running statistics and does not depend on the batch.
 */
public final class GroupNorm {
    private GroupNorm() {
    }

    /**
     * @param x      [B,h,w,C]
     * @param weight scale, shape [C]
     * @param bias   shift, shape [C]
     * @param eps    added to the variance (1e-5 in PyTorch)
     */
    public static SDVariable apply(SameDiff sd, String name, SDVariable x, long h, long w, SDVariable weight,
                                   SDVariable bias, double eps) {
        long c = weight.getShape()[0];
        // reduce a [-1, h·w·C] view over axis 1 (reductions over several or trailing axes of higher-rank
        // inputs are unreliable in M2.1, see LayerNorm)
        SDVariable normed = LayerNorm.standardiseRows(sd, x.reshape(-1, h * w * c), h * w * c, eps).reshape(-1, h, w, c);
        return normed.mul(weight).add(bias).rename(name);
    }
}
