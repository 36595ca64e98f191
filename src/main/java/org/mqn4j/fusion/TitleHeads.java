package org.mqn4j.fusion;

import org.mqn4j.ops.LogSoftmax;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Auxiliary title heads (not in the paper; off unless {@code title_heads_weight} &gt; 0): from the
 * title's features alone, predict the target's colour and category, each with one extra class
 * "the title does not name it". They teach the text encoder the words that pick the target (a
 * colour in a gift phrase is not the target's), which segmentation alone teaches slowly; the
 * paper gets the same from its attribute-value and category pretraining (MQN.md §8).
 * <pre>
 *   p      = Σ_t m_t·L_t / Σ_t m_t                 [B,H]   masked mean of the title features
 *   z_a    = ω_a(p)                                [B,K_a+1]   a ∈ {color, category}   (heads.{a})
 *   loss_a = −(1/B) Σ_b Σ_k y_bk · log softmax(z_a)_bk
 * </pre>
 * Labels {@code color_label} and {@code category_label} are one-hot rows; an all-zero row (a record
 * without attributes) adds nothing. Outputs {@code heads.color.probability} and
 * {@code heads.category.probability} [B,K+1].
 */
public final class TitleHeads {
    public static final String COLOR_LABEL = "color_label";
    public static final String CATEGORY_LABEL = "category_label";

    private TitleHeads() {
    }

    /** The heads' logits z_color [B,K_color+1] and z_category [B,K_category+1]. */
    public record Logits(SDVariable color, SDVariable category) {
    }

    /**
     * The summed loss of both heads.
     *
     * @param language L [B,T,H]
     * @param mask     m [B,T] in the parameters' float type
     */
    public static SDVariable loss(Params p, SDVariable language, SDVariable mask, int t, int hidden, int colours,
                                  int categories) {
        return loss(p, logits(p, language, mask, t, hidden, colours, categories), colours, categories);
    }

    /** The summed loss of both heads from their logits (made by {@link #logits}). */
    public static SDVariable loss(Params p, Logits z, int colours, int categories) {
        return loss(p, z.color(), colours + 1, COLOR_LABEL).add(loss(p, z.category(), categories + 1, CATEGORY_LABEL));
    }

    /** Both heads (parameters {@code heads.color.*}, {@code heads.category.*}) and their probability outputs. */
    public static Logits logits(Params p, SDVariable language, SDVariable mask, int t, int hidden, int colours,
                                int categories) {
        SameDiff sd = p.sameDiff();
        SDVariable m3 = mask.reshape(-1, 1, t);
        SDVariable count = mask.sum(true, 1);                                       // [B,1]
        SDVariable pooled = sd.mmul(m3, language).reshape(-1, hidden).div(count);   // [B,H]
        return new Logits(head(p, "color", pooled, hidden, colours + 1), head(p, "category", pooled, hidden, categories + 1));
    }

    private static SDVariable head(Params p, String name, SDVariable pooled, int hidden, int classes) {
        SDVariable z = Pointwise.apply(p, "heads." + name, pooled, hidden, classes, -1, classes);
        p.sameDiff().nn.softmax("heads." + name + ".probability", z, 1);
        return z;
    }

    private static SDVariable loss(Params p, SDVariable z, int classes, String label) {
        SDVariable logp = LogSoftmax.apply(z, 1);
        SDVariable y = p.sameDiff().placeHolder(label, p.dataType(), -1, classes);
        return y.mul(logp).sum(1).mean().neg();
    }
}
