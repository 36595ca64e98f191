package org.mqn4j.fusion;

import org.mqn4j.ops.LogSoftmax;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How well each cell of a stage shows the colour and the category the title asks for (not in the paper; off
 * unless {@code attribute_match} lists the stage): the {@link VisualHeads}' per-cell prediction of what the
 * cell shows, compared with the {@link TitleHeads}' prediction of what the title names.
 * <pre>
 *   q_a = softmax(z^title_a)[:K_a]        [B,K_a]     the title's class, without "not named" (whose mass gives 0)
 *   p_a = softmax(z^visual_a)             [B,N,K_a]   the cell's class
 *   M_a = 2·Σ_k p_a,k·q_a,k − 1           [B,h,w]     in [−1, 1]        a ∈ {color, category}
 * </pre>
 * The two maps are concatenated to the stage's decoder input. LQV has to discover by itself that "杯子"
 * and a mug's features belong together, from the mask loss; with a frozen backbone this stays the weak
 * part of the model (category-only scenes 69.6 mIoU, colour-only 87.1 in the long run). Here both sides
 * are supervised classifiers over the vocabulary's colours and categories, so a title naming a mug lights
 * up the cells the backbone takes for a mug, and the decoder only has to learn to read the maps.
 */
public final class AttributeMatch {
    private AttributeMatch() {
    }

    /**
     * @param visual {z_color [B,N,K_color], z_category [B,N,K_category]} of the stage ({@link VisualHeads#logits})
     * @param title  the title heads' logits, K+1 classes each ({@link TitleHeads#logits})
     * @return M [B,h,w,2] (colour, category)
     */
    public static SDVariable apply(SDVariable[] visual, TitleHeads.Logits title, int h, int w, int colours, int categories) {
        SameDiff sd = title.color().getSameDiff();
        SDVariable c = match(sd, visual[0], title.color(), h, w, colours);
        SDVariable k = match(sd, visual[1], title.category(), h, w, categories);
        return sd.concat(3, c, k).mul(2.0).sub(1.0);
    }

    /**
     * The maps as the network reads them: from the heads' logits behind a stop-gradient, so the heads learn only
     * from their own labels and the mask loss cannot turn them into something else (with the gradient passing,
     * the demo recipe with maps at stages 2-4 lost the title altogether: 51.4 mIoU, the vision-only level).
     */
    public static SDVariable read(SDVariable[] visual, TitleHeads.Logits title, int h, int w, int colours, int categories) {
        return apply(new SDVariable[]{detach(visual[0]), detach(visual[1])},
                new TitleHeads.Logits(detach(title.color()), detach(title.category())), h, w, colours, categories);
    }

    /** x behind a stop-gradient. */
    static SDVariable detach(SDVariable x) {
        return new StopGradient(x.getSameDiff(), x).outputVariable();
    }

    private static SDVariable match(SameDiff sd, SDVariable cell, SDVariable title, int h, int w, int classes) {
        // q = softmax(z)·[I_K; 0]: the first K columns, as a product (slices of a one-row batch fail in strided_slice_bp)
        float[][] keep = new float[classes + 1][classes];
        for (int i = 0; i < classes; i++) {
            keep[i][i] = 1f;
        }
        DataType dt = title.dataType();
        SDVariable select = sd.constant(Nd4j.createFromArray(keep).castTo(dt));
        SDVariable q = sd.mmul(sd.math.exp(LogSoftmax.apply(title, 1)), select);            // [B,K]
        SDVariable p = sd.math.exp(LogSoftmax.apply(cell, 2));                               // [B,N,K]
        return p.mul(q.reshape(-1, 1, classes)).sum(2).reshape(-1, h, w, 1);
    }
}
