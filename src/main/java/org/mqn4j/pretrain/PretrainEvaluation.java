package org.mqn4j.pretrain;

import org.mqn4j.util.StdoutGuard;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Scores a {@link PretrainNetwork} on held-out titles ({@link PretrainMetrics}). The masked-LM
 * positions are drawn once, from a fixed seed per title, so every evaluation scores the same
 * positions; the attribute and category heads read the unmasked titles (as a model using them would).
 */
public final class PretrainEvaluation {
    private final PretrainNetwork net;
    private final List<TitleRecord> records;
    private final List<WholeWordMasker.Masked> masked = new ArrayList<>();
    private final List<WholeWordMasker.Masked> clean = new ArrayList<>();
    private final int batchSize;
    private final org.mqn4j.text.WordPieceVocab vocab;

    public PretrainEvaluation(PretrainNetwork net, WholeWordMasker masker, List<TitleRecord> records, long seed,
                              int batchSize) {
        this.net = net;
        this.records = List.copyOf(records);
        this.batchSize = batchSize;
        this.vocab = masker.tokenizer().vocab();
        for (int i = 0; i < records.size(); i++) {
            String title = records.get(i).title();
            masked.add(masker.mask(title, new Random(seed * 0x9E3779B97F4A7C15L + i)));
            clean.add(masker.unmasked(title));
        }
    }

    /** Evaluates the graph's current weights. */
    public PretrainMetrics evaluate(long step, double trainLoss, double seconds) {
        PretrainMetrics.Score mlm = net.hasMaskedLm() ? maskedLm() : null;
        Map<String, Counter> attrs = new LinkedHashMap<>();
        Counter cat = net.hasCategory() ? new Counter() : null;
        List<String> outputs = new ArrayList<>();
        for (String a : net.labels().attributes().keySet()) {
            if (net.hasAttribute(a)) {
                attrs.put(a, new Counter());
                outputs.add(PretrainNetwork.attribute(a, "logits"));
            }
        }
        if (cat != null) {
            outputs.add(PretrainNetwork.category("logits"));
        }
        if (!outputs.isEmpty()) {
            for (int s = 0; s < records.size(); s += batchSize) {
                int e = Math.min(records.size(), s + batchSize);
                List<TitleRecord> recs = records.subList(s, e);
                Map<String, INDArray> out = output(PretrainBatch.placeholders(net, recs, clean.subList(s, e)), outputs);
                for (int i = 0; i < recs.size(); i++) {
                    for (Map.Entry<String, Counter> a : attrs.entrySet()) {
                        int y = net.labels().attributeIndex(a.getKey(), recs.get(i));
                        a.getValue().add(y, out.get(PretrainNetwork.attribute(a.getKey(), "logits")).getRow(i));
                    }
                    if (cat != null) {
                        cat.add(net.labels().categoryIndex(recs.get(i)), out.get(PretrainNetwork.category("logits")).getRow(i));
                    }
                }
            }
        }
        Map<String, PretrainMetrics.Score> attrScores = new LinkedHashMap<>();
        attrs.forEach((a, c) -> attrScores.put(a, c.score(net.labels().attributes().get(a)::get)));
        return new PretrainMetrics(step, trainLoss, mlm, attrScores, cat == null ? null : cat.score(net.labels().categories()::get),
                seconds);
    }

    private PretrainMetrics.Score maskedLm() {
        Counter counter = new Counter();
        for (int s = 0; s < records.size(); s += batchSize) {
            int e = Math.min(records.size(), s + batchSize);
            List<WholeWordMasker.Masked> batch = masked.subList(s, e);
            Map<String, INDArray> out = output(PretrainBatch.placeholders(net, records.subList(s, e), batch),
                    List.of(PretrainNetwork.MLM_LOGITS));
            INDArray logits = out.get(PretrainNetwork.MLM_LOGITS);
            INDArray argMax = logits.argMax(1);
            INDArray lse = logSumExp(logits);
            int row = 0;
            for (WholeWordMasker.Masked m : batch) {
                for (int label : m.labels()) {
                    if (label == WholeWordMasker.IGNORE) {
                        continue;
                    }
                    counter.record(label, argMax.getInt(row) == label, lse.getDouble(row) - logits.getDouble(row, label));
                    row++;
                }
            }
        }
        return counter.score(vocab::token);
    }

    private Map<String, INDArray> output(Map<String, INDArray> ph, List<String> outputs) {
        Map<String, INDArray> needed = new HashMap<>();
        ph.forEach((k, v) -> {
            if (k.equals(PretrainNetwork.INPUT_IDS) || k.equals(PretrainNetwork.ATTENTION_MASK)
                    || k.equals(PretrainNetwork.TOKEN_TYPE_IDS)
                    || (k.equals(PretrainNetwork.MLM_POSITIONS) && outputs.contains(PretrainNetwork.MLM_LOGITS))) {
                needed.put(k, v);
            }
        });
        return StdoutGuard.toStderr(() -> net.sameDiff().output(needed, outputs.toArray(new String[0])));
    }

    /** Row-wise log Σ exp of logits [N, K], as a vector [N]. */
    static INDArray logSumExp(INDArray logits) {
        INDArray max = logits.max(1);
        INDArray sum = Transforms.exp(logits.subColumnVector(max.reshape(-1, 1)), true).sum(1);
        return Transforms.log(sum, false).addi(max);
    }

    /** Accuracy, majority class and cross-entropy of one classifier head or of the masked-LM predictions. */
    private static final class Counter {
        private final Map<Integer, Long> freq = new HashMap<>();
        private long correct;
        private long total;
        private double lossSum;

        void add(int label, INDArray logits) {
            if (label >= 0) {
                record(label, logits.argMax().getInt(0) == label,
                        logSumExp(logits.reshape(1, -1)).getDouble(0) - logits.getDouble(label));
            }
        }

        void record(int label, boolean right, double loss) {
            if (right) {
                correct++;
            }
            lossSum += loss;
            freq.merge(label, 1L, Long::sum);
            total++;
        }

        /** The majority class is the most frequent label, the smaller index on a tie. */
        PretrainMetrics.Score score(IntFunction<String> className) {
            int mode = -1;
            long modeCount = 0;
            for (Map.Entry<Integer, Long> f : freq.entrySet()) {
                if (f.getValue() > modeCount || (f.getValue() == modeCount && f.getKey() < mode)) {
                    mode = f.getKey();
                    modeCount = f.getValue();
                }
            }
            return new PretrainMetrics.Score(total == 0 ? 0 : (double) correct / total,
                    total == 0 ? 0 : (double) modeCount / total, mode < 0 ? "-" : className.apply(mode), total,
                    total == 0 ? Double.NaN : lossSum / total);
        }
    }
}
