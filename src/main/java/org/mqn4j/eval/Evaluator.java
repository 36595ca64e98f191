package org.mqn4j.eval;

import org.mqn4j.data.MmpsBatch;
import org.mqn4j.data.MmpsBatchIterator;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.util.Progress;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Scores a model on a split at the model's resolution (MQN.md section 7): the prediction is
 * {@code probability >= 0.5}, the ground truth the mask as the batch iterator resized it (nearest).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Runs the inference graph over every batch of {@code data} (from its current position). */
    public static SegmentationMetrics evaluate(SameDiff inference, MmpsBatchIterator data, BertTokenizer tokenizer,
                                               Progress progress) {
        SegmentationMetrics m = new SegmentationMetrics();
        while (data.hasNext()) {
            MmpsBatch b = data.next();
            INDArray p = inference.output(ModelInputs.inference(inference, b, tokenizer), ModelInputs.PROBABILITY)
                    .get(ModelInputs.PROBABILITY);
            score(m, b.ids(), p, b.masks());
            if (progress != null) {
                progress.advance(b.size());
            }
        }
        return m;
    }

    /**
     * Adds one batch: {@code probability} [B,S,S] (or [B,1,S,S]) thresholded at 0.5 against
     * {@code masks} [B,1,S,S] with values 0/1.
     */
    public static void score(SegmentationMetrics m, List<String> ids, INDArray probability, INDArray masks) {
        int n = ids.size();
        long pixels = masks.length() / n;
        if (probability.length() != masks.length() || masks.size(0) != n) {
            throw new IllegalArgumentException("probability " + java.util.Arrays.toString(probability.shape())
                    + " and masks " + java.util.Arrays.toString(masks.shape()) + " do not match " + n + " samples");
        }
        float[] p = probability.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] g = masks.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        for (int b = 0; b < n; b++) {
            long inter = 0;
            long union = 0;
            int off = (int) (b * pixels);
            for (int k = 0; k < pixels; k++) {
                boolean pred = p[off + k] >= 0.5f;
                boolean gt = g[off + k] >= 0.5f;
                inter += pred && gt ? 1 : 0;
                union += pred || gt ? 1 : 0;
            }
            m.add(ids.get(b), inter, union);
        }
    }
}
