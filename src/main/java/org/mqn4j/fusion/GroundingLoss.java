package org.mqn4j.fusion;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Arrays;
import java.util.List;

/**
 * Auxiliary grounding loss on the LQV responses (not in the paper; off unless
 * {@code grounding_weight} &gt; 0). MQN.md calls S (Eq. 6) "the response of each character in the
 * image"; this loss says what that response should be: for a character of a word that names the
 * target (its colour or category word in the title), the target's mask; for every other character
 * ([CLS], noise words, a gift phrase's colour), nothing. Segmentation alone teaches this matching of
 * words to pixels only after thousands of steps; here the LQV projections, the text encoder and the
 * backbone get it directly at every fusion stage.
 * <pre>
 *   z_nt   = a_i·S_nt + b_i                      {@code fusion.{i}.ground.scale}, {@code .bias} (start 1, 0)
 *   G_n    = share of target pixels in cell n    (the target mask average-pooled to stage i's size)
 *   ℓ_nt   = softplus(z_nt) − G_n·y_t·z_nt       binary cross-entropy with label G_n·y_t
 *   pos_b  = Σ_{n,t} ℓ_nt·y_t / (N·Σ_t y_t)       naming characters
 *   neg_b  = Σ_{n,t} ℓ_nt·(m_t−y_t) / (N·Σ_t (m_t−y_t))   the other real characters
 *   loss_i = Σ_b h_b·(pos_b + neg_b) / Σ_b h_b    h_b = 1 if the title has a naming character
 *   loss   = mean over the grounded stages
 * </pre>
 * y [B,T] is the {@value #NAMING_TOKENS} placeholder (1 on naming characters; all 0 for a record
 * without metadata, which then adds nothing), m the attention mask. Denominators that would be 0
 * are 1 (their numerators are 0 too).
 * <p>
 * With {@code categoryStages} (config {@code grounding_category_stages}) the category word is grounded only at
 * those stages. At the others only the colour word's characters, the {@value #COLOUR_TOKENS} placeholder c, are
 * positives (y is replaced by c in pos_b and h_b); the category word's characters are left out there, neither
 * target nor background (neg_b keeps m − y). A fine map's cells are 4-8 px, too small to show a product's shape.
 */
public final class GroundingLoss {
    public static final String NAMING_TOKENS = "naming_tokens";
    public static final String COLOUR_TOKENS = "naming_colour_tokens";

    private GroundingLoss() {
    }

    /**
     * @param stages    each fusion stage's LQV response S as a {@link FeatureMap} [B,h·w,T]
     * @param target    the target mask [B,1,size,size] (0/1)
     * @param mask      m [B,T], 1 token, 0 padding, in the parameters' float type
     * @return the scalar loss and the placeholder {@value #NAMING_TOKENS} [-1,T] it reads
     */
    public static SDVariable apply(Params p, List<FeatureMap> stages, SDVariable target, SDVariable mask, int size, int t) {
        return apply(p, stages, target, mask, size, t, new int[]{1, 2, 3, 4});
    }

    /**
     * As {@link #apply(Params, List, SDVariable, SDVariable, int, int)}, grounding the category word only at
     * {@code categoryStages}; if a grounded stage is not among them the graph also reads the placeholder
     * {@value #COLOUR_TOKENS} [-1,T] (1 on the colour word's characters).
     */
    public static SDVariable apply(Params p, List<FeatureMap> stages, SDVariable target, SDVariable mask, int size, int t,
                                   int[] categoryStages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("grounding needs at least one fusion stage with LQV");
        }
        SameDiff sd = p.sameDiff();
        SDVariable y = sd.placeHolder(NAMING_TOKENS, p.dataType(), -1, t);
        SDVariable other = mask.sub(y);
        SDVariable namingCount = y.sum(1);                                   // [B]
        SDVariable otherCount = other.sum(1);
        SDVariable has = sd.math.sign(namingCount);                          // h_b
        SDVariable samples = PixelLoss.orOne(sd, has.sum());
        // Products with the [B,1,T] token masks as batched matmuls: the same values (one term each, or the sums of
        // pos/neg), and much cheaper gradients than M2.1's broadcasting multiply (README, "Model speed and memory").
        SDVariable otherCol = other.reshape(-1, t, 1);
        Naming all = new Naming(y, namingCount, has, samples, t);
        Naming colourOnly = null;
        SDVariable total = null;
        for (FeatureMap s : stages) {
            Naming named = all;
            if (Arrays.stream(categoryStages).noneMatch(c -> c == s.index())) {
                if (colourOnly == null) {
                    SDVariable c = sd.placeHolder(COLOUR_TOKENS, p.dataType(), -1, t);
                    SDVariable count = c.sum(1);
                    SDVariable hasColour = sd.math.sign(count);
                    colourOnly = new Naming(c, count, hasColour, PixelLoss.orOne(sd, hasColour.sum()), t);
                }
                named = colourOnly;
            }
            int n = s.h() * s.w();
            String prefix = "fusion." + s.index() + ".ground";
            SDVariable g = PixelLoss.pooledTarget(target, size, s).reshape(-1, n, 1);
            SDVariable a = p.ones(prefix + ".scale", 1);
            SDVariable b = p.zeros(prefix + ".bias", 1);
            SDVariable z = s.value().mul(a).add(b);                                                 // [B,N,T]
            SDVariable bce = PixelLoss.crossEntropy(sd, z, sd.mmul(g, named.row));                   // g·y_t
            SDVariable pos = sd.mmul(bce, named.column).sum(1, 2).div(PixelLoss.orOne(sd, named.count).mul((double) n));
            SDVariable neg = sd.mmul(bce, otherCol).sum(1, 2).div(PixelLoss.orOne(sd, otherCount).mul((double) n));
            SDVariable stage = pos.add(neg).mul(named.has).sum().div(named.samples);
            total = total == null ? stage : total.add(stage);
        }
        return total.div((double) stages.size());
    }

    /** The positive characters of a stage: as [B,1,T] and [B,T,1], their count per title, h_b and Σ_b h_b (at least 1). */
    private record Naming(SDVariable row, SDVariable column, SDVariable count, SDVariable has, SDVariable samples) {
        Naming(SDVariable y, SDVariable count, SDVariable has, SDVariable samples, int t) {
            this(y.reshape(-1, 1, t), y.reshape(-1, t, 1), count, has, samples);
        }
    }
}
