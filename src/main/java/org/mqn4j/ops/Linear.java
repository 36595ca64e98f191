package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * PyTorch's {@code F.linear}: {@code x·Wᵀ + b} over the last axis, with the weight stored as
 * torch stores it, [out, in]. ND4J's mmul does not broadcast a rank-3 by a rank-2 operand, so the
 * input is flattened to [-1, in] and the result reshaped to the shape the caller gives.
 */
public final class Linear {
    private Linear() {
    }

    /**
     * @param x        input whose last axis has {@code in} entries
     * @param weight   [out, in]
     * @param bias     [out], or null for none
     * @param outShape shape of the result, -1 for the one dynamic axis (usually the batch)
     */
    public static SDVariable apply(SameDiff sd, String name, SDVariable x, SDVariable weight, SDVariable bias,
                                   long... outShape) {
        long in = weight.getShape()[1];
        SDVariable flat = x.reshape(-1, in);
        SDVariable y = sd.mmul(flat, weight, false, true, false);
        if (bias != null) {
            y = y.add(bias);
        }
        return y.reshape(outShape).rename(name);
    }
}
