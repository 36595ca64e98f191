package org.mqn4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.data.BinaryMask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The referring-segmentation metrics of MQN.md section 7, accumulated sample by sample.
 * Per sample I = |pred AND gt|, U = |pred OR gt|, IoU = I/U, and IoU = 0 when U = 0: as specified,
 * an empty prediction for an empty ground truth scores 0, not 1. Over the samples: mIoU = mean IoU,
 * oIoU = sum I / sum U (0 when sum U = 0), P@X = share of samples with IoU >= X for X = 0.5, 0.7, 0.9,
 * compared exactly in integers ({@code 10 I >= 10 X U}). Results are in percent. Not thread-safe.
 */
public final class SegmentationMetrics {
    /** The precision thresholds, in tenths: P@0.5, P@0.7, P@0.9. */
    static final int[] THRESHOLDS_TENTHS = {5, 7, 9};

    private final List<Sample> samples = new ArrayList<>();
    private long sumI;
    private long sumU;

    /** One scored sample. */
    public record Sample(String id, long intersection, long union) {
        public double iou() {
            return union == 0 ? 0.0 : (double) intersection / union;
        }
    }

    /** The metrics of all samples so far, in percent. */
    public record Scores(int n, double precisionAt50, double precisionAt70, double precisionAt90,
                         double overallIoU, double meanIoU) {
    }

    /** Adds a sample given its intersection and union pixel counts. */
    public void add(String id, long intersection, long union) {
        if (intersection < 0 || union < intersection) {
            throw new IllegalArgumentException("need 0 <= I <= U, got I=" + intersection + " U=" + union + " for " + id);
        }
        samples.add(new Sample(id, intersection, union));
        sumI += intersection;
        sumU += union;
    }

    /** Adds a sample from a predicted and a ground-truth mask of the same size. */
    public void add(String id, BinaryMask pred, BinaryMask gt) {
        if (pred.width() != gt.width() || pred.height() != gt.height()) {
            throw new IllegalArgumentException("prediction " + pred.width() + "x" + pred.height()
                    + " and ground truth " + gt.width() + "x" + gt.height() + " differ in size for " + id);
        }
        byte[] p = pred.bits();
        byte[] g = gt.bits();
        long i = 0;
        long u = 0;
        for (int k = 0; k < p.length; k++) {
            i += p[k] & g[k];
            u += p[k] | g[k];
        }
        add(id, i, u);
    }

    /** The samples so far, in the order added. */
    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    public Scores scores() {
        int n = samples.size();
        int[] hits = new int[THRESHOLDS_TENTHS.length];
        double sumIoU = 0;
        for (Sample s : samples) {
            sumIoU += s.iou();
            for (int t = 0; t < hits.length; t++) {
                if (s.union() > 0 && 10 * s.intersection() >= THRESHOLDS_TENTHS[t] * s.union()) {
                    hits[t]++;
                }
            }
        }
        double pct = n == 0 ? 0 : 100.0 / n;
        return new Scores(n, hits[0] * pct, hits[1] * pct, hits[2] * pct,
                sumU == 0 ? 0 : 100.0 * sumI / sumU, sumIoU * pct);
    }

    /** A markdown table: {@code | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU | n |} with two decimals. */
    public String table() {
        Scores s = scores();
        return "| P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU | n |\n"
                + "|---|---|---|---|---|---|\n"
                + String.format(Locale.ROOT, "| %.2f | %.2f | %.2f | %.2f | %.2f | %d |\n",
                s.precisionAt50(), s.precisionAt70(), s.precisionAt90(), s.overallIoU(), s.meanIoU(), s.n());
    }

    /**
     * The scores as JSON: {@code {"n", "P@0.5", "P@0.7", "P@0.9", "oIoU", "mIoU"} } in percent, the
     * summed intersection and union, and with {@code perSample} every sample's id, I, U and IoU.
     */
    public ObjectNode toJson(boolean perSample) {
        ObjectMapper json = new ObjectMapper();
        Scores s = scores();
        ObjectNode o = json.createObjectNode();
        o.put("n", s.n());
        o.put("P@0.5", s.precisionAt50());
        o.put("P@0.7", s.precisionAt70());
        o.put("P@0.9", s.precisionAt90());
        o.put("oIoU", s.overallIoU());
        o.put("mIoU", s.meanIoU());
        o.put("sum_intersection", sumI);
        o.put("sum_union", sumU);
        if (perSample) {
            ArrayNode a = o.putArray("samples");
            for (Sample x : samples) {
                a.addObject().put("id", x.id()).put("intersection", x.intersection()).put("union", x.union())
                        .put("iou", x.iou());
            }
        }
        return o;
    }

    /** {@link #toJson} pretty-printed. */
    public String toJsonString(boolean perSample) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(perSample));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
