package org.mqn4j.pretrain;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The placeholders of a {@link PretrainNetwork} for a batch of titles: the (masked) input ids and
 * attention mask, the masked-LM selection matrix with its labels (predicted positions in batch
 * order, then position order), and the class indices and weights of every head the graph has.
 */
public final class PretrainBatch {
    private PretrainBatch() {
    }

    /**
     * @param records the batch's records (their labels)
     * @param masked  the same titles, tokenised and masked ({@link WholeWordMasker})
     */
    public static Map<String, INDArray> placeholders(PretrainNetwork net, List<TitleRecord> records,
                                                     List<WholeWordMasker.Masked> masked) {
        if (records.size() != masked.size() || records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs as many records as masked titles, at least one");
        }
        int b = records.size();
        int t = net.seqLen();
        long[][] ids = new long[b][t];
        long[][] att = new long[b][t];
        int m = 0;
        for (int i = 0; i < b; i++) {
            WholeWordMasker.Masked x = masked.get(i);
            if (x.inputIds().length != t) {
                throw new IllegalArgumentException("masked title of length " + x.inputIds().length + ", the graph takes " + t);
            }
            for (int p = 0; p < t; p++) {
                ids[i][p] = x.inputIds()[p];
                att[i][p] = x.attentionMask()[p];
            }
            m += x.predicted();
        }
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(PretrainNetwork.INPUT_IDS, Nd4j.createFromArray(ids));
        ph.put(PretrainNetwork.ATTENTION_MASK, Nd4j.createFromArray(att));
        if (net.sameDiff().hasVariable(PretrainNetwork.TOKEN_TYPE_IDS)) {
            ph.put(PretrainNetwork.TOKEN_TYPE_IDS, Nd4j.zeros(DataType.INT64, b, t));
        }
        if (net.hasMaskedLm()) {
            // No predicted position (empty titles): one zero-weight row keeps the shapes valid.
            int rows = Math.max(1, m);
            INDArray positions = Nd4j.zeros(DataType.FLOAT, rows, (long) b * t);
            long[] labels = new long[rows];
            float[] weights = new float[rows];
            int r = 0;
            for (int i = 0; i < b; i++) {
                int[] l = masked.get(i).labels();
                for (int p = 0; p < t; p++) {
                    if (l[p] != WholeWordMasker.IGNORE) {
                        positions.putScalar(r, (long) i * t + p, 1.0);
                        labels[r] = l[p];
                        weights[r] = 1f;
                        r++;
                    }
                }
            }
            if (m == 0) {
                positions.putScalar(0, 0, 1.0);
            }
            ph.put(PretrainNetwork.MLM_POSITIONS, positions);
            ph.put(PretrainNetwork.MLM_LABELS, Nd4j.createFromArray(labels));
            ph.put(PretrainNetwork.MLM_WEIGHTS, Nd4j.createFromArray(weights));
        }
        PretrainLabels classes = net.labels();
        for (String a : classes.attributes().keySet()) {
            if (net.hasAttribute(a)) {
                long[] y = new long[b];
                float[] w = new float[b];
                for (int i = 0; i < b; i++) {
                    int k = classes.attributeIndex(a, records.get(i));
                    y[i] = Math.max(0, k);
                    w[i] = k < 0 ? 0f : 1f;
                }
                ph.put(PretrainNetwork.attribute(a, "labels"), Nd4j.createFromArray(y));
                ph.put(PretrainNetwork.attribute(a, "weights"), Nd4j.createFromArray(w));
            }
        }
        if (net.hasCategory()) {
            long[] y = new long[b];
            float[] w = new float[b];
            for (int i = 0; i < b; i++) {
                int k = classes.categoryIndex(records.get(i));
                y[i] = Math.max(0, k);
                w[i] = k < 0 ? 0f : 1f;
            }
            ph.put(PretrainNetwork.category("labels"), Nd4j.createFromArray(y));
            ph.put(PretrainNetwork.category("weights"), Nd4j.createFromArray(w));
        }
        return ph;
    }
}
