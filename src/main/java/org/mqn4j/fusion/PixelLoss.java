package org.mqn4j.fusion;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Pieces the pixel losses share: the stable binary cross-entropy, the target pooled to a stage's grid, safe denominators. */
final class PixelLoss {
    private PixelLoss() {
    }

    /** softplus(z) − y·z, softplus(z) = relu(z) + log1p(exp(−|z|)): binary cross-entropy of logit z with (soft) label y, stable for any z. */
    static SDVariable crossEntropy(SameDiff sd, SDVariable z, SDVariable y) {
        SDVariable softplus = sd.nn.relu(z, 0.0).add(sd.math.log1p(sd.math.exp(sd.math.abs(z).neg())));
        return softplus.sub(y.mul(z));
    }

    /**
     * The share of target pixels in each cell of a stage's map, [B,h·w], of a target [B,1,size,size]:
     * cell (r, c) averages pixels [r·stride, (r+1)·stride) × [c·stride, (c+1)·stride), pixels past the
     * image (Swin's padding) counting as background. Computed as P_h·T·P_wᵀ with constant pooling matrices.
     */
    static SDVariable pooledTarget(SDVariable target, int size, FeatureMap m) {
        if ((long) m.h() * m.stride() < size || (long) m.w() * m.stride() < size || (long) (m.h() - 1) * m.stride() >= size
                || (long) (m.w() - 1) * m.stride() >= size) {
            throw new IllegalArgumentException("stage " + m.index() + "'s " + m.h() + "x" + m.w() + " cells of "
                    + m.stride() + " px do not tile a " + size + " px image");
        }
        SameDiff sd = target.getSameDiff();
        SDVariable ph = sd.constant(pooling(m.h(), m.stride(), size).castTo(target.dataType()));   // [S,h]
        SDVariable pw = sd.constant(pooling(m.w(), m.stride(), size).castTo(target.dataType()));   // [S,w]
        SDVariable rows = sd.mmul(target.reshape(-1, size), pw).reshape(-1, size, m.w())         // [B,S(y),w]
                .permute(0, 2, 1).reshape(-1, size);                                             // [B·w,S(y)]
        return sd.mmul(rows, ph).reshape(-1, m.w(), m.h()).permute(0, 2, 1).reshape(-1, (long) m.h() * m.w());
    }

    /** [size, cells]: 1/stride where pixel x lies in cell r. */
    private static INDArray pooling(int cells, int stride, int size) {
        double[][] p = new double[size][cells];
        for (int x = 0; x < size; x++) {
            p[x][x / stride] = 1.0 / stride;
        }
        return Nd4j.createFromArray(p);
    }

    /** x where x &gt; 0, else 1, for x ≥ 0 (a denominator whose numerator is 0 whenever x is). */
    static SDVariable orOne(SameDiff sd, SDVariable x) {
        return x.add(sd.math.sign(x).rsub(1.0));
    }
}
