package org.mqn4j.fusion;

import org.mqn4j.ops.LogSoftmax;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;
import java.util.Map;

/**
 * Auxiliary visual attribute heads (not in the paper; off unless {@code visual_heads_weight} &gt; 0):
 * at every stage, each cell of the backbone's output V_i that the target covers predicts the
 * target's colour and category, as the image shows them (whether or not the title names them). The
 * paper starts from an ImageNet Swin that already tells a mug from a bottle; a backbone trained from
 * scratch learns the vocabulary's categories from the title matching alone only slowly, and LQV
 * cannot match "杯子" to pixels whose features do not say "mug".
 * <pre>
 *   z_a    = ω_{i,a}(V_i)                           [B,N_i,K_a]   a ∈ {color, category}  (heads.visual.{i}.{a})
 *   ℓ_a    = −Σ_k y_ak · log softmax(z_a)_k          per cell
 *   loss_i = Σ_{b,n} G_bn·ℓ_bn / Σ_{b,n} G_bn·h_b    G the target's share of cell n, h_b = 1 if b has labels
 *   loss   = mean over stages of Σ_a loss_i,a
 * </pre>
 * Labels: the placeholders {@value #COLOR} [B,K_color] and {@value #CATEGORY} [B,K_category], one-hot
 * rows, all zero for a record without attributes (which adds nothing). A zero denominator counts as 1.
 * With {@code attribute_match} the heads exist only at the matched stages and read them behind a
 * stop-gradient ({@link AttributeMatch}), so this loss trains the heads and nothing else.
 */
public final class VisualHeads {
    public static final String COLOR = "target_color";
    public static final String CATEGORY = "target_category";

    private VisualHeads() {
    }

    /** @param stages each stage's map [B,h,w,dim]
     * @param target the target mask [B,1,size,size] (0/1) */
    public static SDVariable apply(Params p, List<FeatureMap> stages, SDVariable target, int size, int colours, int categories) {
        return apply(p, stages, target, size, colours, categories, Map.of());
    }

    /**
     * As {@link #apply(Params, List, SDVariable, int, int, int)}, with the heads of some stages already built
     * by {@link #logits} (stage index → {z_color, z_category}).
     */
    public static SDVariable apply(Params p, List<FeatureMap> stages, SDVariable target, int size, int colours, int categories,
                                   Map<Integer, SDVariable[]> built) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("visual heads need at least one stage");
        }
        SameDiff sd = p.sameDiff();
        SDVariable yc = sd.placeHolder(COLOR, p.dataType(), -1, colours);
        SDVariable yk = sd.placeHolder(CATEGORY, p.dataType(), -1, categories);
        SDVariable total = null;
        for (FeatureMap s : stages) {
            SDVariable g = PixelLoss.pooledTarget(target, size, s);            // [B,N]
            SDVariable[] z = built.containsKey(s.index()) ? built.get(s.index()) : logits(p, s, colours, categories);
            SDVariable stage = loss(z[0], colours, yc, g).add(loss(z[1], categories, yk, g));
            total = total == null ? stage : total.add(stage);
        }
        return total.div((double) stages.size());
    }

    /** A stage's heads ({@code heads.visual.{i}.color/category}): logits {z_color [B,N,K_color], z_category [B,N,K_category]}. */
    public static SDVariable[] logits(Params p, FeatureMap s, int colours, int categories) {
        String prefix = "heads.visual." + s.index();
        int n = s.h() * s.w();
        return new SDVariable[]{Pointwise.apply(p, prefix + ".color", s.value(), s.dim(), colours, -1, n, colours),
                Pointwise.apply(p, prefix + ".category", s.value(), s.dim(), categories, -1, n, categories)};
    }

    private static SDVariable loss(SDVariable z, int classes, SDVariable y, SDVariable g) {
        SameDiff sd = z.getSameDiff();
        SDVariable logp = LogSoftmax.apply(z, 2);
        SDVariable cell = logp.mul(y.reshape(-1, 1, classes)).sum(2).neg();                    // [B,N]
        SDVariable weight = g.mul(y.sum(true, 1));                                               // [B,N], 0 without labels
        SDVariable total = weight.sum();
        return cell.mul(weight).sum().div(PixelLoss.orOne(sd, total));
    }
}
