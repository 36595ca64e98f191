package org.mqn4j.text;

import org.mqn4j.ops.Gelu;
import org.mqn4j.ops.Params;
import org.mqn4j.ops.TrainableLookup;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A BERT or RoBERTa encoder as a SameDiff graph: embeddings, then post-LN transformer layers with
 * exact GELU and a padding mask. Variable names are HuggingFace's, without the model prefix
 * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}),
 * so a HuggingFace state dict loads by name; Linear weights are stored [out, in] as in torch.
 *
 * <p>Inputs: {@code input_ids} [B,T] int64, {@code attention_mask} [B,T] (1 token, 0 padding) and,
 * when {@code type_vocab_size > 1}, {@code token_type_ids} [B,T] int64. T is fixed when the graph
 * is built; B is free. Output: {@link Output#hidden()} [B,T,C] ({@code last_hidden_state}).
 */
public final class TextEncoder {

    /** The encoder's outputs: the last hidden state [B,T,C] and the float padding mask [B,T]. */
    public record Output(SDVariable hidden, SDVariable mask) {}

    private final TextConfig config;
    private final int seqLen;

    /**
     * @param config sizes of the encoder
     * @param seqLen tokens per title, fixed for the graph (at most {@link TextConfig#maxSequenceLength()})
     */
    public TextEncoder(TextConfig config, int seqLen) {
        if (seqLen <= 0 || seqLen > config.maxSequenceLength()) {
            throw new IllegalArgumentException("sequence length " + seqLen + " outside 1.." + config.maxSequenceLength()
                    + " (max_position_embeddings " + config.maxPositionEmbeddings() + ")");
        }
        this.config = config;
        this.seqLen = seqLen;
    }

    public TextConfig config() {
        return config;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Adds the input placeholders ({@code input_ids}, {@code attention_mask}, maybe {@code token_type_ids}) and the encoder. */
    public Output build(Params params) {
        SameDiff sd = params.sameDiff();
        SDVariable ids = sd.placeHolder("input_ids", DataType.INT64, -1, seqLen);
        SDVariable mask = sd.placeHolder("attention_mask", DataType.INT64, -1, seqLen);
        SDVariable types = config.typeVocabSize() > 1 ? sd.placeHolder("token_type_ids", DataType.INT64, -1, seqLen) : null;
        return build(params, ids, mask, types);
    }

    /**
     * Adds the encoder over given inputs.
     *
     * @param types token types [B,T], or null for all zeros
     */
    public Output build(Params params, SDVariable ids, SDVariable attentionMask, SDVariable types) {
        SameDiff sd = params.sameDiff();
        int c = config.hiddenSize();
        SDVariable maskF = attentionMask.castTo(DataType.FLOAT);
        SDVariable x = embeddings(params, ids, types);
        // Additive attention bias [B,1,1,T]: 0 for tokens, -1e9 for padding (HF uses the float minimum; exp gives 0 either way).
        SDVariable bias = maskF.rsub(1.0).mul(-1e9).reshape(-1, 1, 1, seqLen);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            x = layer(params, "encoder.layer." + i + ".", x, bias);
        }
        SDVariable hidden = sd.identity("last_hidden_state", x.reshape(-1, seqLen, c));
        return new Output(hidden, sd.identity("text_mask", maskF));
    }

    /** Word + position + token-type embeddings, then LayerNorm; returns [B·T, C]. */
    private SDVariable embeddings(Params params, SDVariable ids, SDVariable types) {
        SameDiff sd = params.sameDiff();
        int c = config.hiddenSize();
        SDVariable word = params.truncNormal("embeddings.word_embeddings.weight", 0.02, config.vocabSize(), c);
        SDVariable pos = params.truncNormal("embeddings.position_embeddings.weight", 0.02, config.maxPositionEmbeddings(), c);
        SDVariable type = params.truncNormal("embeddings.token_type_embeddings.weight", 0.02, config.typeVocabSize(), c);

        SDVariable x = TrainableLookup.lookup(sd, "embeddings.word_lookup", word, ids.reshape(-1), config.vocabSize()); // [B·T, C]
        if (config.flavour() == TextConfig.Flavour.ROBERTA) {
            // HF create_position_ids_from_input_ids: cumsum over real tokens, padding keeps padding_idx.
            // (cumsum has no INT64 kernel in M2.1: count in float, exact for any realistic length.)
            SDVariable notPad = sd.neq(ids, sd.constant(config.padTokenId()).castTo(DataType.INT64)).castTo(DataType.FLOAT);
            SDVariable positions = sd.cumsum(notPad, false, false, 1).mul(notPad).add(config.padTokenId()).castTo(DataType.INT64);
            x = x.add(TrainableLookup.lookup(sd, "embeddings.position_lookup", pos, positions.reshape(-1), config.maxPositionEmbeddings()));
        } else {
            // Positions 0..T-1 in every row: the first T rows of the table, broadcast over the batch.
            SDVariable first = pos.get(SDIndex.interval(0, seqLen), SDIndex.all());
            x = x.reshape(-1, seqLen, c).add(first).reshape(-1, c);
        }
        if (types != null) {
            x = x.add(TrainableLookup.lookup(sd, "embeddings.type_lookup", type, types.reshape(-1), config.typeVocabSize()));
        } else {
            // All type 0. (Slicing a one-row table, or a point index, has a failing gradient in M2.1.)
            SDVariable first = sd.constant(org.nd4j.linalg.factory.Nd4j.zeros(type.dataType(), 1, config.typeVocabSize()).putScalar(0, 0, 1.0));
            x = x.add(config.typeVocabSize() == 1 ? type : sd.mmul(first, type));
        }
        return params.layerNorm("embeddings.LayerNorm", x, c, config.layerNormEps());
    }

    /** One post-LN layer as HF BertLayer: self-attention + residual + LN, feed-forward + residual + LN. */
    private SDVariable layer(Params params, String p, SDVariable x, SDVariable bias) {
        SameDiff sd = params.sameDiff();
        int c = config.hiddenSize();
        int h = config.numAttentionHeads();
        int d = config.headSize();
        int inter = config.intermediateSize();
        double eps = config.layerNormEps();
        SDVariable q = heads(params.linear(p + "attention.self.query", x, c, c, true, -1, c), h, d);
        SDVariable k = heads(params.linear(p + "attention.self.key", x, c, c, true, -1, c), h, d);
        SDVariable v = heads(params.linear(p + "attention.self.value", x, c, c, true, -1, c), h, d);
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(d)).add(bias); // [B,H,T,T]
        SDVariable ctx = sd.mmul(sd.nn.softmax(scores, -1), v)                                     // [B,H,T,d]
                .permute(0, 2, 1, 3).reshape(-1, c);
        SDVariable attn = params.layerNorm(p + "attention.output.LayerNorm",
                params.linear(p + "attention.output.dense", ctx, c, c, true, -1, c).add(x), c, eps);
        SDVariable hid = Gelu.exact(sd, p + "intermediate.gelu", params.linear(p + "intermediate.dense", attn, c, inter, true, -1, inter));
        return params.layerNorm(p + "output.LayerNorm", params.linear(p + "output.dense", hid, inter, c, true, -1, c).add(attn), c, eps);
    }

    /** [B·T, C] → [B, H, T, d]. */
    private SDVariable heads(SDVariable x, int h, int d) {
        return x.reshape(-1, seqLen, h, d).permute(0, 2, 1, 3);
    }
}
