package org.mqn4j.text;

import org.mqn4j.ops.Gelu;
import org.mqn4j.ops.LayerNorm;
import org.mqn4j.ops.TrainableLookup;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.weightinit.impl.ConstantInitScheme;
import org.nd4j.weightinit.impl.NormalInitScheme;
import org.nd4j.weightinit.impl.ZeroInitScheme;

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
    public Output build(SameDiff sd) {
        SDVariable ids = sd.placeHolder("input_ids", DataType.INT64, -1, seqLen);
        SDVariable mask = sd.placeHolder("attention_mask", DataType.INT64, -1, seqLen);
        SDVariable types = config.typeVocabSize() > 1 ? sd.placeHolder("token_type_ids", DataType.INT64, -1, seqLen) : null;
        return build(sd, ids, mask, types);
    }

    /**
     * Adds the encoder over given inputs.
     *
     * @param types token types [B,T], or null for all zeros
     */
    public Output build(SameDiff sd, SDVariable ids, SDVariable attentionMask, SDVariable types) {
        int c = config.hiddenSize();
        SDVariable maskF = attentionMask.castTo(DataType.FLOAT);
        SDVariable x = embeddings(sd, ids, maskF, types);
        // Additive attention bias [B,1,1,T]: 0 for tokens, -1e9 for padding (HF uses the float minimum; exp gives 0 either way).
        SDVariable bias = maskF.rsub(1.0).mul(-1e9).reshape(-1, 1, 1, seqLen);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            x = layer(sd, "encoder.layer." + i + ".", x, bias);
        }
        SDVariable hidden = sd.identity("last_hidden_state", x.reshape(-1, seqLen, c));
        return new Output(hidden, sd.identity("text_mask", maskF));
    }

    /** Word + position + token-type embeddings, then LayerNorm; returns [B·T, C]. */
    private SDVariable embeddings(SameDiff sd, SDVariable ids, SDVariable maskF, SDVariable types) {
        int c = config.hiddenSize();
        SDVariable word = sd.var("embeddings.word_embeddings.weight", new NormalInitScheme('c', 0.02), DataType.FLOAT, config.vocabSize(), c);
        SDVariable pos = sd.var("embeddings.position_embeddings.weight", new NormalInitScheme('c', 0.02), DataType.FLOAT, config.maxPositionEmbeddings(), c);
        SDVariable type = sd.var("embeddings.token_type_embeddings.weight", new NormalInitScheme('c', 0.02), DataType.FLOAT, config.typeVocabSize(), c);

        SDVariable x = TrainableLookup.lookup(sd, "embeddings.word_lookup", word, ids.reshape(-1), config.vocabSize()); // [B·T, C]
        SDVariable posEmb;
        if (config.flavour() == TextConfig.Flavour.ROBERTA) {
            // HF create_position_ids_from_input_ids: cumsum over real tokens, padding keeps padding_idx.
            SDVariable notPad = sd.neq(ids, sd.constant(config.padTokenId()).castTo(DataType.INT64)).castTo(DataType.INT64);
            SDVariable positions = sd.cumsum(notPad, false, false, 1).mul(notPad).add(config.padTokenId());
            posEmb = TrainableLookup.lookup(sd, "embeddings.position_lookup", pos, positions.reshape(-1), config.maxPositionEmbeddings());
        } else {
            // Positions 0..T-1 for every row: the first T rows of the table, broadcast over the batch.
            posEmb = pos.get(org.nd4j.autodiff.samediff.SDIndex.interval(0, seqLen), org.nd4j.autodiff.samediff.SDIndex.all());
            x = x.reshape(-1, seqLen, c).add(posEmb).reshape(-1, c);
            posEmb = null;
        }
        if (posEmb != null) {
            x = x.add(posEmb);
        }
        if (types != null) {
            x = x.add(TrainableLookup.lookup(sd, "embeddings.type_lookup", type, types.reshape(-1), config.typeVocabSize()));
        } else {
            x = x.add(type.get(org.nd4j.autodiff.samediff.SDIndex.point(0)));
        }
        return layerNorm(sd, "embeddings.LayerNorm", x);
    }

    /** One post-LN layer as HF BertLayer: self-attention + residual + LN, feed-forward + residual + LN. */
    private SDVariable layer(SameDiff sd, String p, SDVariable x, SDVariable bias) {
        int c = config.hiddenSize();
        int h = config.numAttentionHeads();
        int d = config.headSize();
        SDVariable q = heads(linear(sd, p + "attention.self.query", x, c, c), h, d);
        SDVariable k = heads(linear(sd, p + "attention.self.key", x, c, c), h, d);
        SDVariable v = heads(linear(sd, p + "attention.self.value", x, c, c), h, d);
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(d)).add(bias); // [B,H,T,T]
        SDVariable ctx = sd.mmul(sd.nn.softmax(scores, -1), v)                                     // [B,H,T,d]
                .permute(0, 2, 1, 3).reshape(-1, c);
        SDVariable attn = layerNorm(sd, p + "attention.output.LayerNorm", linear(sd, p + "attention.output.dense", ctx, c, c).add(x));
        SDVariable inter = Gelu.exact(sd, p + "intermediate.gelu", linear(sd, p + "intermediate.dense", attn, c, config.intermediateSize()));
        return layerNorm(sd, p + "output.LayerNorm", linear(sd, p + "output.dense", inter, config.intermediateSize(), c).add(attn));
    }

    /** [B·T, C] → [B, H, T, d]. */
    private SDVariable heads(SDVariable x, int h, int d) {
        return x.reshape(-1, seqLen, h, d).permute(0, 2, 1, 3);
    }

    /** torch.nn.Linear over rows of a [N, in] input, weight stored [out, in]. */
    private static SDVariable linear(SameDiff sd, String name, SDVariable x, int in, int out) {
        SDVariable w = sd.var(name + ".weight", new NormalInitScheme('c', 0.02), DataType.FLOAT, out, in);
        SDVariable b = sd.var(name + ".bias", new ZeroInitScheme('c'), DataType.FLOAT, out);
        return sd.mmul(x, w, false, true, false).add(b);
    }

    private SDVariable layerNorm(SameDiff sd, String name, SDVariable x) {
        int c = config.hiddenSize();
        SDVariable g = sd.var(name + ".weight", new ConstantInitScheme('c', 1.0), DataType.FLOAT, c);
        SDVariable b = sd.var(name + ".bias", new ZeroInitScheme('c'), DataType.FLOAT, c);
        return LayerNorm.apply(sd, name, x, g, b, config.layerNormEps());
    }
}
