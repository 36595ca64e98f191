package org.mqn4j.pretrain;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A classifier that asks the title one question (an attribute such as colour, or the category):
 * a learned query vector {@code <prefix>.query} [C] attends over the encoder's last hidden states
 * (padding masked out), and {@code <prefix>.classifier} (C→classes) reads the attended vector.
 * Attention pooling rather than the [CLS] state because in a one-layer encoder [CLS] sees only the
 * input embeddings, which cannot tell {@code 红色} from the gift colour of {@code 送红色杯垫}; the
 * last hidden state of each word has already looked at its neighbours.
 */
public final class QueryHead {
    private QueryHead() {
    }

    /**
     * @param hidden last hidden state [B, T, C]
     * @param mask   float padding mask [B, T] (1 token, 0 padding)
     * @return logits [B, classes] named {@code name}
     */
    public static SDVariable apply(Params params, String prefix, String name, SDVariable hidden, SDVariable mask,
                                   int seqLen, int c, int classes) {
        SameDiff sd = params.sameDiff();
        SDVariable query = params.truncNormal(prefix + ".query", 0.02, c);
        SDVariable scores = sd.mmul(hidden.reshape(-1, c), query.reshape(c, 1)).reshape(-1, seqLen)
                .add(mask.rsub(1.0).mul(-1e9));                                    // [B, T]
        SDVariable weights = sd.nn.softmax(scores, -1).reshape(-1, 1, seqLen);     // [B, 1, T]
        SDVariable pooled = sd.mmul(weights, hidden).reshape(-1, c);               // [B, C]
        return params.linear(prefix + ".classifier", pooled, c, classes, true, -1, classes).rename(name);
    }
}
