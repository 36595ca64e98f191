package org.mqn4j.fusion;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The ⊕ of MQN Eq. 10, V_i^out ⊕ F^i, before the patch merging into stage i+1: a tanh-gated add
 * <pre>
 *   V_i^out + tanh(g) ⊙ F^i        g ∈ R^{C_i}, {prefix}.gate, initialised to 0
 * </pre>
 * The paper does not say what ⊕ is. LAVT (which MQN builds on) adds its PWAM output through a
 * tanh gate ({@code res_gate}: Linear–ReLU–Linear–Tanh) so that a language-dependent term cannot
 * swamp the backbone's features. We keep the tanh bound but make the gate one learnable value per
 * channel starting at 0: the network starts exactly as the plain backbone (a pretrained Swin keeps
 * its features at step 0), the gate's gradient F^i·∂loss/∂V is non-zero from the first step so it
 * opens as fast as fusion helps, and it costs one multiply instead of two per-pixel linear maps.
 * The fusion weights still learn from the start through the decoder, which sees F^i directly.
 */
public final class EarlyFusion {
    private EarlyFusion() {
    }

    /** V + tanh(g)⊙F for V, F [B,h,w,dim]; result named {@code {prefix}.out}. */
    public static SDVariable apply(Params p, String prefix, SDVariable vision, SDVariable fused, int dim) {
        SameDiff sd = p.sameDiff();
        SDVariable gate = sd.math.tanh(p.zeros(prefix + ".gate", dim));
        return vision.add(fused.mul(gate)).rename(prefix + ".out");
    }
}
