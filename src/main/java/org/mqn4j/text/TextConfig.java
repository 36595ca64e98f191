package org.mqn4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Sizes of a BERT or RoBERTa encoder. Immutable; build with {@link #builder()}, or read with
 * {@link #load(Path)} from either a project YAML ({@code conf/text_*.yaml}) or a HuggingFace
 * {@code config.json}: both use HuggingFace's key names.
 *
 * @param flavour               BERT (positions 0..T−1) or RoBERTa (positions from pad_token_id+1, skipping padding)
 * @param hiddenSize            width C of every layer
 * @param numAttentionHeads     heads per layer
 * @param numHiddenLayers       number of post-LN transformer layers
 * @param intermediateSize      hidden width of the feed-forward block
 * @param vocabSize             rows of the word embedding table
 * @param maxPositionEmbeddings rows of the position table (RoBERTa needs max length + pad_token_id + 1)
 * @param typeVocabSize         rows of the token-type table (2 for BERT, 1 for RoBERTa)
 * @param layerNormEps          LayerNorm epsilon (1e-12 BERT, 1e-5 RoBERTa)
 * @param padTokenId            id of [PAD] / &lt;pad&gt; (0 BERT, 1 RoBERTa)
 */
public record TextConfig(Flavour flavour, int hiddenSize, int numAttentionHeads, int numHiddenLayers,
                         int intermediateSize, int vocabSize, int maxPositionEmbeddings, int typeVocabSize,
                         double layerNormEps, int padTokenId) {

    /** The two position and epsilon conventions. */
    public enum Flavour { BERT, ROBERTA }

    public TextConfig {
        if (flavour == null) {
            throw new IllegalArgumentException("flavour (model_type) is required");
        }
        if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " must be a positive multiple of num_attention_heads " + numAttentionHeads);
        }
        if (numHiddenLayers < 0 || intermediateSize <= 0 || vocabSize <= 0 || maxPositionEmbeddings <= 0 || typeVocabSize <= 0) {
            throw new IllegalArgumentException("num_hidden_layers, intermediate_size, vocab_size, max_position_embeddings and type_vocab_size must be positive");
        }
        if (layerNormEps <= 0) {
            throw new IllegalArgumentException("layer_norm_eps must be positive");
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException("pad_token_id " + padTokenId + " outside the vocabulary of " + vocabSize);
        }
    }

    /** Width of one attention head. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** The longest token sequence the position table admits. */
    public int maxSequenceLength() {
        return flavour == Flavour.ROBERTA ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
    }

    /** chinese-roberta-wwm-ext / bert-base-chinese sizes: 12 layers, 768 wide, 12 heads, 21,128 tokens. */
    public static TextConfig base(Flavour flavour) {
        Builder b = builder().flavour(flavour).hiddenSize(768).numAttentionHeads(12).numHiddenLayers(12)
                .intermediateSize(3072).vocabSize(21128).maxPositionEmbeddings(512);
        return flavour == Flavour.ROBERTA ? b.maxPositionEmbeddings(514).typeVocabSize(1).layerNormEps(1e-5).padTokenId(1).build() : b.build();
    }

    /**
     * Reads a HuggingFace {@code config.json} or a project YAML with the same keys. Unknown keys
     * are ignored; missing keys take BERT-base defaults, except that {@code model_type} decides the
     * flavour's defaults for eps, pad id and type vocabulary.
     */
    public static TextConfig load(Path file) {
        JsonNode n;
        try {
            ObjectMapper mapper = file.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            n = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new MqnException("cannot read text encoder config " + file + ": " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new MqnException("text encoder config " + file + " is not a JSON/YAML object");
        }
        JsonNode node = n.has("text") && n.get("text").isObject() ? n.get("text") : n;
        return fromTree(node, file.toString());
    }

    /**
     * The same from an already parsed mapping of HuggingFace keys (e.g. a section of a larger YAML
     * file); {@code file} names it in errors.
     */
    public static TextConfig fromTree(JsonNode node, String file) {
        if (node == null || !node.isObject()) {
            throw new MqnException("text encoder config " + file + " is not a JSON/YAML object");
        }
        String type = node.path("model_type").asText("bert").toLowerCase(Locale.ROOT);
        Flavour flavour = switch (type) {
            case "roberta", "xlm-roberta", "camembert" -> Flavour.ROBERTA;
            case "bert" -> Flavour.BERT;
            default -> throw new MqnException("text encoder config " + file + ": model_type '" + type + "' is neither bert nor roberta");
        };
        Builder b = builder().flavour(flavour);
        if (flavour == Flavour.ROBERTA) {
            b.layerNormEps(1e-5).padTokenId(1).typeVocabSize(1).maxPositionEmbeddings(514);
        }
        try {
            if (node.has("hidden_size")) b.hiddenSize(node.get("hidden_size").asInt());
            if (node.has("num_attention_heads")) b.numAttentionHeads(node.get("num_attention_heads").asInt());
            if (node.has("num_hidden_layers")) b.numHiddenLayers(node.get("num_hidden_layers").asInt());
            if (node.has("intermediate_size")) b.intermediateSize(node.get("intermediate_size").asInt());
            if (node.has("vocab_size")) b.vocabSize(node.get("vocab_size").asInt());
            if (node.has("max_position_embeddings")) b.maxPositionEmbeddings(node.get("max_position_embeddings").asInt());
            if (node.has("type_vocab_size")) b.typeVocabSize(node.get("type_vocab_size").asInt());
            if (node.has("layer_norm_eps")) b.layerNormEps(node.get("layer_norm_eps").asDouble());
            if (node.has("pad_token_id")) b.padTokenId(node.get("pad_token_id").asInt());
            String act = node.path("hidden_act").asText("gelu");
            if (!act.equals("gelu")) {
                throw new MqnException("text encoder config " + file + ": hidden_act '" + act + "' is not supported (only exact 'gelu')");
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new MqnException("text encoder config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the config with HuggingFace's keys (readable by {@link #load(Path)} and by transformers). */
    public String toJson() {
        return String.format(Locale.ROOT, """
                {
                  "model_type": "%s",
                  "hidden_size": %d,
                  "num_attention_heads": %d,
                  "num_hidden_layers": %d,
                  "intermediate_size": %d,
                  "vocab_size": %d,
                  "max_position_embeddings": %d,
                  "type_vocab_size": %d,
                  "layer_norm_eps": %s,
                  "pad_token_id": %d,
                  "hidden_act": "gelu"
                }
                """, flavour.name().toLowerCase(Locale.ROOT), hiddenSize, numAttentionHeads, numHiddenLayers,
                intermediateSize, vocabSize, maxPositionEmbeddings, typeVocabSize, Double.toString(layerNormEps), padTokenId);
    }

    public Builder toBuilder() {
        return new Builder().flavour(flavour).hiddenSize(hiddenSize).numAttentionHeads(numAttentionHeads)
                .numHiddenLayers(numHiddenLayers).intermediateSize(intermediateSize).vocabSize(vocabSize)
                .maxPositionEmbeddings(maxPositionEmbeddings).typeVocabSize(typeVocabSize)
                .layerNormEps(layerNormEps).padTokenId(padTokenId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with BERT-base defaults. */
    public static final class Builder {
        private Flavour flavour = Flavour.BERT;
        private int hiddenSize = 768;
        private int numAttentionHeads = 12;
        private int numHiddenLayers = 12;
        private int intermediateSize = 3072;
        private int vocabSize = 21128;
        private int maxPositionEmbeddings = 512;
        private int typeVocabSize = 2;
        private double layerNormEps = 1e-12;
        private int padTokenId = 0;

        public Builder flavour(Flavour v) { flavour = v; return this; }
        public Builder hiddenSize(int v) { hiddenSize = v; return this; }
        public Builder numAttentionHeads(int v) { numAttentionHeads = v; return this; }
        public Builder numHiddenLayers(int v) { numHiddenLayers = v; return this; }
        public Builder intermediateSize(int v) { intermediateSize = v; return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder maxPositionEmbeddings(int v) { maxPositionEmbeddings = v; return this; }
        public Builder typeVocabSize(int v) { typeVocabSize = v; return this; }
        public Builder layerNormEps(double v) { layerNormEps = v; return this; }
        public Builder padTokenId(int v) { padTokenId = v; return this; }

        public TextConfig build() {
            return new TextConfig(flavour, hiddenSize, numAttentionHeads, numHiddenLayers, intermediateSize,
                    vocabSize, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId);
        }
    }
}
