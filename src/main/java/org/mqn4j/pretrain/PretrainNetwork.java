package org.mqn4j.pretrain;

import org.mqn4j.ops.Params;
import org.mqn4j.text.TextConfig;
import org.mqn4j.text.TextEncoder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pretraining graph: the MQN's {@link TextEncoder} (same names, so its weights load into the
 * MQN) and three objectives on its last hidden state, summed with configurable weights into {@code loss}:
 * <ul>
 *   <li>masked LM ({@link MaskedLmHead}) on the predicted positions, picked from the [B·T, C] states
 *       by a one-hot selection matrix {@code mlm_positions} [M, B·T] (gather's gradient is broken);
 *       labels {@code mlm_labels} [M], weights {@code mlm_weights} [M] (0 for a padding row);</li>
 *   <li>per attribute a {@link QueryHead} {@code heads.attribute.<name>} over its values ("none" =
 *       not named); labels {@code attribute.<name>.labels} [B], weights {@code attribute.<name>.weights}
 *       [B] (0 when unknown); the attribute loss is the mean over attributes;</li>
 *   <li>a {@link QueryHead} {@code heads.category} over the categories, {@code category.labels/weights}.</li>
 * </ul>
 * Each loss is the weighted mean cross-entropy {@code Σ wᵢ·CEᵢ / max(1, Σ wᵢ)}. Outputs:
 * {@code mlm_logits}, {@code mlm_loss}, {@code attribute.<name>.logits/loss}, {@code category.logits/loss}, {@code loss}.
 */
public final class PretrainNetwork {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String MLM_POSITIONS = "mlm_positions";
    public static final String MLM_LABELS = "mlm_labels";
    public static final String MLM_WEIGHTS = "mlm_weights";
    public static final String MLM_LOGITS = "mlm_logits";
    public static final String MLM_LOSS = "mlm_loss";
    public static final String CATEGORY = "category";
    public static final String LOSS = "loss";

    private final SameDiff sd;
    private final TextConfig text;
    private final int seqLen;
    private final PretrainLabels labels;
    private final boolean mlm;

    private PretrainNetwork(SameDiff sd, TextConfig text, int seqLen, PretrainLabels labels, boolean mlm) {
        this.sd = sd;
        this.text = text;
        this.seqLen = seqLen;
        this.labels = labels;
        this.mlm = mlm;
    }

    /** {@code attribute.<name>.labels}, {@code .weights}, {@code .logits}, {@code .loss}. */
    public static String attribute(String name, String what) {
        return "attribute." + name + "." + what;
    }

    /** {@code category.labels}, {@code .weights}, {@code .logits}, {@code .loss}. */
    public static String category(String what) {
        return CATEGORY + "." + what;
    }

    /**
     * Builds the graph. A head is built only when its loss weight is positive and (for attributes and
     * category) the labels have classes for it.
     *
     * @param seqLen tokens per title (the MQN's {@code max_title_length})
     */
    public static PretrainNetwork build(TextConfig text, int seqLen, PretrainLabels labels, double mlmWeight,
                                        double attributeWeight, double categoryWeight, long seed) {
        return build(text, seqLen, labels, mlmWeight, attributeWeight, categoryWeight, seed, DataType.FLOAT);
    }

    /** As {@link #build(TextConfig, int, PretrainLabels, double, double, double, long)} in a given float type. */
    public static PretrainNetwork build(TextConfig text, int seqLen, PretrainLabels labels, double mlmWeight,
                                        double attributeWeight, double categoryWeight, long seed, DataType dataType) {
        SameDiff sd = SameDiff.create();
        Params params = new Params(sd, dataType, seed);
        TextEncoder.Output enc = new TextEncoder(text, seqLen).build(params);
        Params heads = new Params(sd, dataType, seed + 1);
        SDVariable hidden = enc.hidden();
        SDVariable mask = enc.mask().castTo(dataType);
        int c = text.hiddenSize();
        List<SDVariable> terms = new ArrayList<>();

        boolean mlm = mlmWeight > 0;
        if (mlm) {
            SDVariable positions = sd.placeHolder(MLM_POSITIONS, dataType, -1, -1);
            SDVariable picked = sd.mmul(positions, hidden.reshape(-1, c));                 // [M, C]
            SDVariable logits = MaskedLmHead.apply(heads, MLM_LOGITS, picked,
                    sd.getVariable("embeddings.word_embeddings.weight"), c, text.vocabSize(), text.layerNormEps());
            SDVariable loss = crossEntropy(sd, MLM_LOSS, logits, sd.placeHolder(MLM_LABELS, DataType.INT64, -1),
                    sd.placeHolder(MLM_WEIGHTS, dataType, -1), text.vocabSize());
            terms.add(loss.mul(mlmWeight));
        }
        if (attributeWeight > 0 && !labels.attributes().isEmpty()) {
            List<SDVariable> losses = new ArrayList<>();
            for (Map.Entry<String, List<String>> a : labels.attributes().entrySet()) {
                String n = a.getKey();
                int classes = a.getValue().size();
                SDVariable logits = QueryHead.apply(heads, "heads.attribute." + n, attribute(n, "logits"), hidden, mask,
                        seqLen, c, classes);
                losses.add(crossEntropy(sd, attribute(n, "loss"), logits,
                        sd.placeHolder(attribute(n, "labels"), DataType.INT64, -1),
                        sd.placeHolder(attribute(n, "weights"), dataType, -1), classes));
            }
            SDVariable sum = losses.get(0);
            for (int i = 1; i < losses.size(); i++) {
                sum = sum.add(losses.get(i));
            }
            terms.add(sum.mul(attributeWeight / losses.size()));
        }
        if (categoryWeight > 0 && labels.hasCategories()) {
            int classes = labels.categories().size();
            SDVariable logits = QueryHead.apply(heads, "heads.category", category("logits"), hidden, mask, seqLen, c, classes);
            terms.add(crossEntropy(sd, category("loss"), logits, sd.placeHolder(category("labels"), DataType.INT64, -1),
                    sd.placeHolder(category("weights"), dataType, -1), classes).mul(categoryWeight));
        }
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("no objective to train: every loss weight is 0 or the corpus has no labels for it");
        }
        SDVariable total = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            total = total.add(terms.get(i));
        }
        total = total.rename(LOSS);
        sd.setLossVariables(total);
        return new PretrainNetwork(sd, text, seqLen, labels, mlm);
    }

    /**
     * {@code Σ wᵢ·CE(logitsᵢ, labelsᵢ) / max(1, Σ wᵢ)}, a scalar named {@code name}, with
     * {@code CE = logsumexp(z) − z_label} composed of plain ops: ND4J's loss ops ignore the incoming
     * gradient in their backward pass (they assume they are the final loss), so a weighted sum of
     * them would train with the wrong weights.
     */
    static SDVariable crossEntropy(SameDiff sd, String name, SDVariable logits, SDVariable labels, SDVariable weights,
                                   int classes) {
        SDVariable oneHot = sd.oneHot(labels, classes, -1, 1.0, 0.0, logits.dataType());      // [N, K]
        SDVariable max = logits.max(true, 1);                                                  // [N, 1]
        SDVariable logSumExp = sd.math.log(sd.math.exp(logits.sub(max)).sum(true, 1)).add(max);       // [N, 1]
        SDVariable ce = logSumExp.sub(oneHot.mul(logits).sum(true, 1)).reshape(-1);            // [N]
        SDVariable denominator = sd.math.max(weights.sum(), sd.constant(Nd4j.scalar(logits.dataType(), 1.0)));
        return ce.mul(weights).sum().div(denominator).rename(name);
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public TextConfig textConfig() {
        return text;
    }

    public int seqLen() {
        return seqLen;
    }

    public PretrainLabels labels() {
        return labels;
    }

    /** Whether the graph has the masked-LM head. */
    public boolean hasMaskedLm() {
        return mlm;
    }

    /** Whether the graph has the head of {@code attribute}. */
    public boolean hasAttribute(String attribute) {
        return sd.hasVariable(attribute(attribute, "logits"));
    }

    public boolean hasCategory() {
        return sd.hasVariable(category("logits"));
    }

    /** Whether a variable belongs to the encoder (saved as the text checkpoint). */
    public static boolean isEncoderVariable(String name) {
        return name.startsWith("embeddings.") || name.startsWith("encoder.");
    }

    /** Whether a variable belongs to a pretraining head ({@code cls.*}, {@code heads.*}). */
    public static boolean isHeadVariable(String name) {
        return name.startsWith(MaskedLmHead.PREFIX) || name.startsWith("heads.");
    }
}
