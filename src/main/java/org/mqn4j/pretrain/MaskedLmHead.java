package org.mqn4j.pretrain;

import org.mqn4j.ops.Gelu;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * HuggingFace's {@code BertLMPredictionHead} under its checkpoint names: {@code
 * cls.predictions.transform.dense} (C→C), exact GELU, {@code cls.predictions.transform.LayerNorm}
 * (the encoder's epsilon), then the decoder tied to the word embeddings ({@code x · Eᵀ}, as
 * HuggingFace ties {@code cls.predictions.decoder.weight}) plus {@code cls.predictions.bias} [V].
 */
public final class MaskedLmHead {
    public static final String PREFIX = "cls.predictions.";

    private MaskedLmHead() {
    }

    /**
     * @param x              hidden states of the predicted positions [M, C]
     * @param wordEmbeddings the encoder's {@code embeddings.word_embeddings.weight} [V, C]
     * @return logits [M, V] named {@code name}
     */
    public static SDVariable apply(Params params, String name, SDVariable x, SDVariable wordEmbeddings, int hidden,
                                   int vocabSize, double layerNormEps) {
        SameDiff sd = params.sameDiff();
        String p = PREFIX + "transform.";
        SDVariable h = params.linear(p + "dense", x, hidden, hidden, true, -1, hidden);
        h = Gelu.exact(sd, p + "gelu", h);
        h = params.layerNorm(p + "LayerNorm", h, hidden, layerNormEps);
        SDVariable bias = params.zeros(PREFIX + "bias", vocabSize);
        return sd.mmul(h, wordEmbeddings, false, true, false).add(bias).rename(name);
    }
}
