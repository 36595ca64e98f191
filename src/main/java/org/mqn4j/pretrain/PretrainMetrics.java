package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Map;

/**
 * One evaluation on the held-out titles: per objective the accuracy and the baseline it must beat.
 *
 * @param step            optimisation steps done when evaluated
 * @param trainLoss       mean training loss of the steps since the previous evaluation (NaN at step 0)
 * @param maskedLm        masked-token accuracy over the predicted positions; the baseline is the
 *                        accuracy of always predicting the most frequent token of those positions
 *                        (the best unigram guess, chosen on the held-out positions themselves); null without MLM head
 * @param attributes      per attribute: accuracy on unmasked titles, baseline = majority class
 * @param category        category accuracy on unmasked titles, baseline = majority class; null without head
 * @param seconds         training seconds so far
 */
public record PretrainMetrics(long step, double trainLoss, Score maskedLm, Map<String, Score> attributes,
                              Score category, double seconds) {

    /**
     * @param accuracy fraction correct, 0..1
     * @param baseline fraction the constant guess {@code majority} gets right
     * @param majority the constant guess (a token or a class)
     * @param count    positions or titles scored
     * @param loss     mean cross-entropy
     */
    public record Score(double accuracy, double baseline, String majority, long count, double loss) {
        ObjectNode toJson(ObjectMapper om) {
            ObjectNode o = om.createObjectNode();
            o.put("accuracy", accuracy);
            o.put("baseline", baseline);
            o.put("baseline_guess", majority);
            o.put("count", count);
            o.put("loss", loss);
            return o;
        }

        String line(String name) {
            return String.format(Locale.ROOT, "%s %.1f%% (baseline %.1f%%)", name, 100 * accuracy, 100 * baseline);
        }
    }

    public ObjectNode toJson(ObjectMapper om) {
        ObjectNode o = om.createObjectNode();
        o.put("step", step);
        if (Double.isFinite(trainLoss)) {
            o.put("train_loss", trainLoss);
        }
        o.put("seconds", seconds);
        if (maskedLm != null) {
            o.set("masked_lm", maskedLm.toJson(om));
        }
        ObjectNode a = o.putObject("attributes");
        attributes.forEach((k, v) -> a.set(k, v.toJson(om)));
        if (category != null) {
            o.set("category", category.toJson(om));
        }
        return o;
    }

    /** One line: step, losses and every accuracy with its baseline. */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "step %d", step));
        if (Double.isFinite(trainLoss)) {
            s.append(String.format(Locale.ROOT, "  train loss %.4f", trainLoss));
        }
        if (maskedLm != null) {
            s.append("  ").append(maskedLm.line("masked-token acc"));
        }
        attributes.forEach((k, v) -> s.append("  ").append(v.line(k + " acc")));
        if (category != null) {
            s.append("  ").append(category.line("category acc"));
        }
        return s.toString();
    }
}
