package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LayerNorm over the last axis with an explicit epsilon, as PyTorch's {@code nn.LayerNorm}:
 * {@code (x − mean) / sqrt(var + eps) · weight + bias} with the biased variance. ND4J's
 * {@code layerNorm} op has a fixed epsilon, so this is composed of mean/sub/mul/rsqrt.
 */
public final class LayerNorm {
    private LayerNorm() {
    }

    /**
     * @param x      input of any rank ≥ 1, normalised over its last axis
     * @param weight scale, shape [C]
     * @param bias   shift, shape [C]
     * @param eps    added to the variance (1e-5 in PyTorch and Swin)
     */
    public static SDVariable apply(SameDiff sd, String name, SDVariable x, SDVariable weight, SDVariable bias, double eps) {
        // Reductions over axis -1 give wrong results on rank-3 inputs in M2.1, and op outputs have no
        // static rank, so normalise a [-1, C] view over axis 1 and restore x's (dynamic) shape.
        long c = weight.getShape()[0];
        return standardiseRows(sd, x.reshape(-1, c), c, eps).mul(weight).add(bias).reshape(x.shape()).rename(name);
    }

    /**
     * Each row of a [N, D] view to zero mean and unit (biased) variance: {@code (x − mean) / sqrt(var + eps)}.
     * The [N, 1] factor is spread over the row by a product with a [1, D] row of ones, not by a broadcasting
     * multiply: the gradient of M2.1's broadcasting multiply ({@code multiply_bp}) was the slowest op of a training
     * step, and this gives the same values bit for bit (each product has one term) with a matmul gradient, about
     * 40% less time for a norm's gradient (README, "Model speed and memory").
     */
    static SDVariable standardiseRows(SameDiff sd, SDVariable flat, long d, double eps) {
        SDVariable centered = flat.sub(flat.mean(true, 1));
        SDVariable var = centered.mul(centered).mean(true, 1);
        SDVariable ones = sd.constant(Nd4j.ones(flat.dataType(), 1, d));
        return centered.mul(sd.math.rsqrt(var.add(eps)).mmul(ones));
    }
}
