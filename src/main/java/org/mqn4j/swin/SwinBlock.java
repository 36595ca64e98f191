package org.mqn4j.swin;

import org.mqn4j.ops.Gelu;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.random.custom.DistributionUniform;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torchvision's {@code SwinTransformerBlock}: {@code x + sd(attn(norm1(x)))}, then
 * {@code x + sd(mlp(norm2(x)))} with the MLP {@code mlp.0} → exact GELU → {@code mlp.3}.
 * Stochastic depth ("row" mode: the whole residual branch of a sample is dropped with probability
 * p and the kept ones scaled by 1/(1−p)) is built only for training.
 */
public final class SwinBlock {
    private SwinBlock() {
    }

    /**
     * @param prefix    e.g. {@code features.1.0}
     * @param x         [B, h, w, dim]
     * @param shift     0 or window/2
     * @param dropProb  stochastic depth probability of this block (used only if {@code training})
     */
    public static SDVariable apply(Params p, String prefix, SDVariable x, int h, int w, int dim, int heads, int window,
                                   int shift, double mlpRatio, double eps, double dropProb, boolean training) {
        SameDiff sd = p.sameDiff();
        SDVariable y = p.layerNorm(prefix + ".norm1", x, dim, eps);
        y = WindowAttention.apply(p, prefix + ".attn", y, h, w, dim, heads, window, shift);
        x = x.add(stochasticDepth(sd, y, dropProb, training));

        int hidden = (int) (dim * mlpRatio);
        y = p.layerNorm(prefix + ".norm2", x, dim, eps);
        y = p.linear(prefix + ".mlp.0", y, dim, hidden, true, -1, h, w, hidden);
        y = Gelu.exact(sd, prefix + ".mlp.1", y);
        y = p.linear(prefix + ".mlp.3", y, hidden, dim, true, -1, h, w, dim);
        return x.add(prefix, stochasticDepth(sd, y, dropProb, training));
    }

    /** Per-sample drop of a [B, h, w, C] branch; identity unless training with p > 0. */
    static SDVariable stochasticDepth(SameDiff sd, SDVariable branch, double p, boolean training) {
        if (!training || p <= 0) {
            return branch;
        }
        double keep = 1.0 - p;
        SDVariable batch = branch.shape().castTo(DataType.LONG).get(SDIndex.interval(0, 1));
        SDVariable shape = sd.concat(0, batch, sd.constant(Nd4j.createFromArray(1L, 1L, 1L)));
        SDVariable u = new DistributionUniform(sd, shape, 0.0, 1.0, branch.dataType()).outputVariable();
        SDVariable mask = sd.math.floor(u.add(keep)); // 1 with probability keep
        return branch.mul(mask).div(keep);
    }
}
