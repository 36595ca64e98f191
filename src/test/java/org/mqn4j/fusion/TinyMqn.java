package org.mqn4j.fusion;

import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.TextConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** A tiny MQN for tests: 36 px (stage maps 9, 5, 3, 2: padding in attention and merging), T = 6. */
final class TinyMqn {
    static final int S = 36;
    static final int T = 6;
    static final int VOCAB = 30;

    private TinyMqn() {
    }

    static MqnConfig config(MqnConfig.Variant variant) {
        SwinConfig swin = SwinConfig.builder().embedDim(4).depths(1, 1, 1, 1).numHeads(1, 1, 2, 2).windowSize(2)
                .mlpRatio(1).build();
        TextConfig text = TextConfig.builder().hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(16)
                .vocabSize(VOCAB).maxPositionEmbeddings(T).typeVocabSize(1).build();
        return MqnConfig.builder().imageSize(S).maxTitleLength(T).swin(swin).text(text).variant(variant)
                .decoderDim(4).seed(7).build();
    }

    /** Random images, titles of 2..T tokens (ids 1..VOCAB-1, padding 0) and masks; target 0/1. */
    static Map<String, INDArray> batch(int n, long seed, DataType type) {
        Random r = new Random(seed);
        Nd4j.getRandom().setSeed(seed);
        long[][] ids = new long[n][T];
        long[][] mask = new long[n][T];
        for (int i = 0; i < n; i++) {
            int len = 2 + r.nextInt(T - 1);
            for (int j = 0; j < len; j++) {
                ids[i][j] = 1 + r.nextInt(VOCAB - 1);
                mask[i][j] = 1;
            }
        }
        Map<String, INDArray> m = new HashMap<>();
        m.put("input", Nd4j.randn(type, n, 3, S, S));
        m.put("input_ids", Nd4j.createFromArray(ids));
        m.put("attention_mask", Nd4j.createFromArray(mask));
        m.put("target", Nd4j.rand(type, n, 1, S, S).gt(0.5).castTo(type));
        return m;
    }
}
