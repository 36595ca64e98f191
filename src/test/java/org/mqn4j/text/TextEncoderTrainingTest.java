package org.mqn4j.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.NewJvm;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder trains: gradients are right, reach the token embeddings, and survive save/load. */
class TextEncoderTrainingTest {
    static final int T = 6;
    static final int VOCAB = 20;

    static TextConfig tiny(TextConfig.Flavour flavour) {
        TextConfig.Builder b = TextConfig.builder().flavour(flavour).hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1)
                .intermediateSize(16).vocabSize(VOCAB).maxPositionEmbeddings(T + 2);
        return flavour == TextConfig.Flavour.ROBERTA ? b.typeVocabSize(1).layerNormEps(1e-5).padTokenId(1).build() : b.build();
    }

    /** Encoder + a linear probe on the first token; label = does the title contain token 5. */
    static SameDiff classifier(TextConfig cfg, DataType type) {
        return classifier(cfg, type, null);
    }

    /** With {@code fixedLabels} the labels are a constant (GradCheckUtil asks for gradients of float placeholders). */
    static SameDiff classifier(TextConfig cfg, DataType type, INDArray fixedLabels) {
        SameDiff sd = SameDiff.create();
        Params params = new Params(sd, type, 3);
        TextEncoder.Output out = new TextEncoder(cfg, T).build(params);
        SDVariable cls = out.hidden().get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()).reshape(-1, cfg.hiddenSize());
        SDVariable logits = params.linear("probe", cls, cfg.hiddenSize(), 2, true, -1, 2);
        SDVariable labels = fixedLabels == null ? sd.placeHolder("labels", type, -1, 2) : sd.constant("labels", fixedLabels);
        sd.loss.softmaxCrossEntropy("loss", labels, logits, null);
        return sd;
    }

    /** Titles of random ids 2..VOCAB-1 with random padding (pad 0 for BERT, 1 for RoBERTa). */
    static Map<String, INDArray> batch(TextConfig cfg, int n, Random r, DataType type) {
        long[][] ids = new long[n][T];
        long[][] mask = new long[n][T];
        double[][] labels = new double[n][2];
        for (int i = 0; i < n; i++) {
            int len = 2 + r.nextInt(T - 1);
            boolean has = false;
            for (int j = 0; j < T; j++) {
                ids[i][j] = j < len ? 2 + r.nextInt(VOCAB - 2) : cfg.padTokenId();
                mask[i][j] = j < len ? 1 : 0;
                has |= j < len && ids[i][j] == 5;
            }
            labels[i][has ? 1 : 0] = 1;
        }
        Map<String, INDArray> m = new HashMap<>();
        m.put("input_ids", Nd4j.createFromArray(ids));
        m.put("attention_mask", Nd4j.createFromArray(mask));
        if (cfg.typeVocabSize() > 1) {
            m.put("token_type_ids", Nd4j.zeros(DataType.INT64, n, T));
        }
        m.put("labels", Nd4j.createFromArray(labels).castTo(type));
        return m;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (TextConfig.Flavour f : TextConfig.Flavour.values()) {
                TextConfig cfg = tiny(f);
                Map<String, INDArray> b = batch(cfg, 3, new Random(1), DataType.DOUBLE);
                SameDiff sd = classifier(cfg, DataType.DOUBLE, b.remove("labels"));
                // Every parameter array, 4 random entries each: all paths are covered at a fraction of the cost.
                assertTrue(GradCheckUtil.checkGradients(sd, b, 1e-6, 1e-4, 1e-8, false, false, false, false, null, null, 4,
                                GradCheckUtil.Subset.RANDOM),
                        f + ": gradient check failed");
            }
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void trainsAndOnlyUsedEmbeddingRowsMove(@TempDir Path dir) throws Exception {
        TextConfig cfg = tiny(TextConfig.Flavour.ROBERTA);
        SameDiff sd = classifier(cfg, DataType.FLOAT);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-2))
                .dataSetFeatureMapping("input_ids", "attention_mask").dataSetLabelMapping("labels").build());
        INDArray embBefore = sd.getVariable("embeddings.word_embeddings.weight").getArr().dup();
        Random r = new Random(5);
        Map<String, INDArray> eval = batch(cfg, 64, new Random(99), DataType.FLOAT);
        double first = loss(sd, eval);
        for (int step = 0; step < 150; step++) {
            Map<String, INDArray> b = batch(cfg, 32, r, DataType.FLOAT);
            sd.fit(new org.nd4j.linalg.dataset.MultiDataSet(
                    new INDArray[]{b.get("input_ids"), b.get("attention_mask")}, new INDArray[]{b.get("labels")}));
        }
        double last = loss(sd, eval);
        assertTrue(last < 0.5 * first, "loss did not fall: " + first + " -> " + last);
        INDArray embAfter = sd.getVariable("embeddings.word_embeddings.weight").getArr();
        // Ids 2..VOCAB-1 occur in titles; id 0 never does ([PAD] of BERT, unused by this RoBERTa batch).
        assertTrue(embAfter.getRow(5).sub(embBefore.getRow(5)).norm2Number().doubleValue() > 1e-3, "the key token's embedding did not train");
        assertEquals(embBefore.getRow(0), embAfter.getRow(0), "an id that never occurs must get no update");

        Path model = dir.resolve("text.sd");
        sd.save(model.toFile(), false);
        Map<String, INDArray> ph = new HashMap<>(eval);
        Map<String, INDArray> child = NewJvm.run(model, ph, List.of("last_hidden_state", "loss"),
                List.of("embeddings.word_embeddings.weight"), dir);
        Map<String, INDArray> here = sd.output(ph, "last_hidden_state", "loss");
        assertEquals(here.get("last_hidden_state"), child.get("out/last_hidden_state"), "outputs differ in a new JVM");
        INDArray grad = sd.calculateGradients(ph, "embeddings.word_embeddings.weight").get("embeddings.word_embeddings.weight");
        assertTrue(grad.norm2Number().doubleValue() > 0);
        assertEquals(grad, child.get("grad/embeddings.word_embeddings.weight"), "gradients differ in a new JVM");
    }

    static double loss(SameDiff sd, Map<String, INDArray> b) {
        return sd.output(b, "loss").get("loss").getDouble(0);
    }
}
