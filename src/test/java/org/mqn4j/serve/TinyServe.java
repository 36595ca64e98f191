package org.mqn4j.serve;

import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.TextConfig;
import org.mqn4j.text.WordPieceVocab;

import java.nio.file.Path;
import java.util.Map;

/** A tiny MQN over the built-in vocabulary (36 px: stage maps 9, 5, 3, 2; T = 16) and tiny synthetic data sets. */
public final class TinyServe {
    public static final int S = 36;
    public static final int T = 16;

    private TinyServe() {
    }

    public static MqnConfig config(MqnConfig.Variant variant) {
        SwinConfig swin = SwinConfig.builder().embedDim(4).depths(1, 1, 1, 1).numHeads(1, 1, 2, 2).windowSize(2)
                .mlpRatio(1).build();
        TextConfig text = TextConfig.builder().hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(16)
                .vocabSize(WordPieceVocab.defaultVocab().size()).maxPositionEmbeddings(T).typeVocabSize(1).build();
        return MqnConfig.builder().imageSize(S).maxTitleLength(T).swin(swin).text(text).variant(variant)
                .decoderDim(4).seed(11).build();
    }

    public static MqnNetwork network() {
        return MqnNetwork.build(config(MqnConfig.Variant.MQN), false);
    }

    /** A synthetic data set of {@code size}-px images with {@code n} test samples. */
    public static Path dataset(Path root, int size, int n) {
        new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(),
                SynthConfig.builder().size(size).seed(3).build()), 1).write(root, Map.of("test", n), false);
        return root;
    }
}
