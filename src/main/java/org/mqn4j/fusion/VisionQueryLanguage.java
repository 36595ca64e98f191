package org.mqn4j.fusion;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Vision Query Language (MQN Eq. 7–9) at one stage: each pixel picks the characters that respond
 * to it, and the visual query filters what the image does not support.
 * <pre>
 *   Q_v = ω_vq(V)                        [B,N,C_i]  1×1 convolution         ({prefix}.vq)
 *   A   = softmax_T(S + (m − 1)·1e4)     [B,N,T]    {prefix}.attention
 *   K_m = ω_mk(A·Q_l)                    [B,N,C_i]  linear                  ({prefix}.mk)
 *   F_f = Q_v ⊙ K_m                      [B,h,w,C_i] {prefix}.filter
 * </pre>
 * S and Q_l come from {@link LanguageQueryVision} of the same stage.
 */
public final class VisionQueryLanguage {
    private final SDVariable attention;
    private final SDVariable filter;

    private VisionQueryLanguage(SDVariable attention, SDVariable filter) {
        this.attention = attention;
        this.filter = filter;
    }

    /**
     * @param prefix variable prefix, e.g. {@code fusion.1.vql}
     * @param vision V [B,h,w,dim]
     * @param lqv    the stage's Language Query Vision (gives S and Q_l)
     * @param mask   m [B,t] in the parameters' float type
     */
    public static VisionQueryLanguage apply(Params p, String prefix, SDVariable vision, LanguageQueryVision lqv,
                                            SDVariable mask, int h, int w, int t, int dim) {
        SameDiff sd = p.sameDiff();
        long n = (long) h * w;
        SDVariable qv = Pointwise.apply(p, prefix + ".vq", vision, dim, dim, -1, n, dim);
        SDVariable bias = mask.sub(1.0).mul(1e4).reshape(-1, 1, t);
        SDVariable a = sd.nn.softmax(prefix + ".attention", lqv.response().add(bias), 2);
        SDVariable km = Pointwise.apply(p, prefix + ".mk", sd.mmul(a, lqv.queryLanguage()), dim, dim, -1, n, dim);
        SDVariable ff = qv.mul(km).reshape(-1, h, w, dim).rename(prefix + ".filter");
        return new VisionQueryLanguage(a, ff);
    }

    /** A [B,N,T] (rows sum to 1 over the title's tokens), named {@code {prefix}.attention}. */
    public SDVariable attention() {
        return attention;
    }

    /** F_f [B,h,w,C_i], named {@code {prefix}.filter}. */
    public SDVariable filter() {
        return filter;
    }
}
