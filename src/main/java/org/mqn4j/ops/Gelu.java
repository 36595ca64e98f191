package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Exact GELU, {@code 0.5·x·(1 + erf(x/√2))}, as PyTorch's {@code nn.GELU()} computes it.
 * ND4J's {@code gelu} is the sigmoid approximation and its {@code preciseGelu} is wrong, so this
 * composes {@code erf} (whose gradient, 2/√π·exp(−x²), M2.1 implements).
 */
public final class Gelu {
    private Gelu() {
    }

    /** Exact GELU of {@code x}, element-wise; the result is named {@code name}. */
    public static SDVariable exact(SameDiff sd, String name, SDVariable x) {
        SDVariable erf = sd.math.erf(x.mul(1.0 / Math.sqrt(2.0)));
        return x.mul(0.5).mul(erf.add(1.0)).rename(name);
    }
}
