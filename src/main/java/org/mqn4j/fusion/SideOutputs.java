package org.mqn4j.fusion;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;

/**
 * Deep supervision of the decoder's inputs (not in the paper; off unless {@code side_output_weight}
 * &gt; 0): each stage's feature as the decoder receives it, norm(F^i), predicts the target mask at
 * its own resolution through a 1×1 convolution (a "side output", as in HED and DSN). The mask then
 * no longer has to find its way back through the whole decoder to tell LQV/VQL what to carry:
 * whatever F^i holds about the title's product must be readable at F^i itself.
 * <pre>
 *   z_i    = ω_i(norm(F^i))                  [B,N_i]   {@code decoder.side.{i}} (C_i → 1)
 *   loss_i = mean_{b,n} softplus(z) − G_n·z   binary cross-entropy with G the target's share of cell n
 *   loss   = mean over the four stages
 * </pre>
 */
public final class SideOutputs {
    private SideOutputs() {
    }

    /** @param stages each stage's map [B,h,w,dim]
     * @param target the target mask [B,1,size,size] (0/1) */
    public static SDVariable apply(Params p, List<FeatureMap> stages, SDVariable target, int size) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("side outputs need at least one stage");
        }
        SameDiff sd = p.sameDiff();
        SDVariable total = null;
        for (FeatureMap s : stages) {
            int n = s.h() * s.w();
            SDVariable g = PixelLoss.pooledTarget(target, size, s);
            SDVariable z = Pointwise.apply(p, "decoder.side." + s.index(), s.value(), s.dim(), 1, -1, n);
            SDVariable stage = PixelLoss.crossEntropy(sd, z, g).mean();
            total = total == null ? stage : total.add(stage);
        }
        return total.div((double) stages.size());
    }
}
