package org.mqn4j.fusion;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.TextConfig;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network learns to follow the title: each image holds a red and a blue square, the one-word
 * title names one of them, the target is that square. Only the title tells which, so a network
 * that ignores it cannot beat IoU ≈ ½ on average; trained MQN must, and vision_only must not.
 */
class TitleSteersTest {
    static final int S = 32;
    static final int T = 4;
    static final int SIDE = 10;

    static MqnConfig config(MqnConfig.Variant v) {
        SwinConfig swin = SwinConfig.builder().embedDim(8).depths(1, 1, 1, 1).numHeads(1, 1, 2, 2).windowSize(2).mlpRatio(2).build();
        TextConfig text = TextConfig.builder().hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(16)
                .vocabSize(5).maxPositionEmbeddings(T).typeVocabSize(1).build();
        return MqnConfig.builder().imageSize(S).maxTitleLength(T).swin(swin).text(text).variant(v).decoderDim(8).seed(1).build();
    }

    /** Batch of n: features input, input_ids, attention_mask; label target. */
    static MultiDataSet batch(int n, Random r) {
        float[] img = new float[n * 3 * S * S];
        float[] tgt = new float[n * S * S];
        long[][] ids = new long[n][T];
        long[][] mask = new long[n][T];
        for (int b = 0; b < n; b++) {
            int[][] pos = new int[2][];
            do {
                pos[0] = new int[]{r.nextInt(S - SIDE), r.nextInt(S - SIDE)};
                pos[1] = new int[]{r.nextInt(S - SIDE), r.nextInt(S - SIDE)};
            } while (Math.abs(pos[0][0] - pos[1][0]) < SIDE && Math.abs(pos[0][1] - pos[1][1]) < SIDE);
            int named = r.nextInt(2); // 0 red, 1 blue
            ids[b][0] = 1 + named;
            mask[b][0] = 1;
            for (int c = 0; c < 2; c++) {
                for (int y = pos[c][0]; y < pos[c][0] + SIDE; y++) {
                    for (int x = pos[c][1]; x < pos[c][1] + SIDE; x++) {
                        img[((b * 3 + (c == 0 ? 0 : 2)) * S + y) * S + x] = 2f; // red in channel 0, blue in channel 2
                        if (c == named) {
                            tgt[(b * S + y) * S + x] = 1f;
                        }
                    }
                }
            }
        }
        return new MultiDataSet(new INDArray[]{Nd4j.create(img, new long[]{n, 3, S, S}), Nd4j.createFromArray(ids),
                Nd4j.createFromArray(mask)}, new INDArray[]{Nd4j.create(tgt, new long[]{n, 1, S, S})});
    }

    static double meanIoU(SameDiff sd, MultiDataSet d) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input", d.getFeatures(0));
        ph.put("input_ids", d.getFeatures(1));
        ph.put("attention_mask", d.getFeatures(2));
        INDArray pred = sd.output(ph, "probability").get("probability").gt(0.5).castTo(DataType.FLOAT);
        INDArray gt = d.getLabels(0).reshape(pred.shape());
        double sum = 0;
        for (int b = 0; b < pred.size(0); b++) {
            double i = pred.slice(b).mul(gt.slice(b)).sumNumber().doubleValue();
            double u = pred.slice(b).add(gt.slice(b)).gt(0).castTo(DataType.FLOAT).sumNumber().doubleValue();
            sum += u == 0 ? 0 : i / u;
        }
        return sum / pred.size(0);
    }

    static double train(MqnConfig.Variant v, int steps) {
        Nd4j.getRandom().setSeed(1);
        SameDiff sd = MqnNetwork.build(config(v), false).sameDiff();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(3e-3))
                .dataSetFeatureMapping("input", "input_ids", "attention_mask").dataSetLabelMapping("target").build());
        Random r = new Random(2);
        for (int i = 0; i < steps; i++) {
            sd.fit(batch(16, r));
        }
        return meanIoU(sd, batch(64, new Random(99)));
    }

    @Tag("slow")
    @Test
    void titleSelectsTheNamedSquare() {
        double mqn = train(MqnConfig.Variant.MQN, 300);
        double vision = train(MqnConfig.Variant.VISION_ONLY, 300);
        System.out.printf("title task mIoU after 300 steps: mqn %.3f, vision_only %.3f%n", mqn, vision);
        assertTrue(mqn > 0.7, "mqn mIoU " + mqn);
        assertTrue(vision < 0.6, "vision_only mIoU " + vision);
    }
}
