package org.mqn4j.fusion;

import org.mqn4j.ops.Linear;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A 1×1 convolution (= a per-pixel or per-token linear map) named {@code prefix}, initialised as
 * torch's {@code nn.Conv2d}/{@code nn.Linear}: weight [out, in] and bias [out] uniform in ±1/√in.
 * The paper's ω maps and the decoder's classifier are this.
 */
final class Pointwise {
    private Pointwise() {
    }

    /** {@code x}[..., in] → [..., out] with the result reshaped to {@code outShape}. */
    static SDVariable apply(Params p, String prefix, SDVariable x, long in, long out, long... outShape) {
        double bound = 1.0 / Math.sqrt(in);
        SDVariable w = p.uniform(prefix + ".weight", bound, out, in);
        SDVariable b = p.uniform(prefix + ".bias", bound, out);
        return Linear.apply(p.sameDiff(), prefix, x, w, b, outShape);
    }
}
