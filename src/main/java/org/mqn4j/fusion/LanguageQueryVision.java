package org.mqn4j.fusion;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Language Query Vision (MQN Eq. 5–6) at one stage: the title's characters query the image.
 * <pre>
 *   Q_l = ω_lq(L)                 [B,T,C_i]   per-token linear C_l → C_i   ({prefix}.lq)
 *   K_v = ω_vk(V)                 [B,N,C_i]   1×1 convolution              ({prefix}.vk)
 *   S   = K_v·Q_lᵀ / √C_i         [B,N,T]     response of each character at each pixel
 *   F_m = (S ⊙ m)·Q_l / Σm        [B,N,C_i]   every valid character weighs the same
 * </pre>
 * with V [B,H,W,C_i] (N = H·W), L [B,T,C_l] and the padding mask m [B,T] (1 token, 0 padding).
 * {@link #matched()} gives F_m as [B,H,W,C_i]; VQL reuses {@link #queryLanguage()} and {@link #response()}.
 */
public final class LanguageQueryVision {
    private final SameDiff sd;
    private final String prefix;
    private final SDVariable queryLanguage;
    private final SDVariable response;
    private final SDVariable mask;
    private final int h;
    private final int w;
    private final int t;
    private final int dim;

    private LanguageQueryVision(SameDiff sd, String prefix, SDVariable queryLanguage, SDVariable response,
                                SDVariable mask, int h, int w, int t, int dim) {
        this.sd = sd;
        this.prefix = prefix;
        this.queryLanguage = queryLanguage;
        this.response = response;
        this.mask = mask;
        this.h = h;
        this.w = w;
        this.t = t;
        this.dim = dim;
    }

    /**
     * Builds Q_l and S.
     *
     * @param prefix    variable prefix, e.g. {@code fusion.1.lqv}
     * @param vision    V [B,h,w,dim]
     * @param language  L [B,t,textDim]
     * @param mask      m [B,t], 1 for tokens and 0 for padding, in the parameters' float type
     */
    public static LanguageQueryVision apply(Params p, String prefix, SDVariable vision, SDVariable language,
                                            SDVariable mask, int h, int w, int t, int dim, int textDim) {
        SDVariable ql = Pointwise.apply(p, prefix + ".lq", language, textDim, dim, -1, t, dim);
        SDVariable kv = Pointwise.apply(p, prefix + ".vk", vision, dim, dim, -1, (long) h * w, dim);
        SDVariable s = p.sameDiff().mmul(kv, ql, false, true, false).mul(1.0 / Math.sqrt(dim)).rename(prefix + ".response");
        return new LanguageQueryVision(p.sameDiff(), prefix, ql, s, mask, h, w, t, dim);
    }

    /** Q_l [B,T,C_i]. */
    public SDVariable queryLanguage() {
        return queryLanguage;
    }

    /** S [B,N,T], named {@code {prefix}.response}. */
    public SDVariable response() {
        return response;
    }

    /** F_m as [B,h,w,C_i], named {@code {prefix}.matched} (built on the first call). */
    public SDVariable matched() {
        String name = prefix + ".matched";
        if (sd.hasVariable(name)) {
            return sd.getVariable(name);
        }
        SDVariable m = mask.reshape(-1, 1, t);
        SDVariable count = mask.sum(true, 1).reshape(-1, 1, 1);
        SDVariable fm = sd.mmul(response.mul(m), queryLanguage).div(count);
        return fm.reshape(-1, h, w, dim).rename(name);
    }
}
