package org.mqn4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.mqn4j.fusion.MqnConfig.Variant;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The paper's Table III for variants of one network trained with one budget: a row per variant (vision
 * only, +LQV, +LQV+VQL) with check marks for LQV and VQL and the columns P@0.5, P@0.7, P@0.9, oIoU, mIoU
 * in percent; one table for all test images, one for images with distractors and one for images without.
 * A variant without results (it failed) keeps its row, marked with its status, with dashes for numbers.
 */
public final class AblationTable {

    /** The test-split groups of {@link ModelEvaluation}'s metrics.json, in the order of the tables. */
    public enum Group {
        ALL("all", "All test images"),
        WITH_DISTRACTORS("with_distractors", "Images with distractors"),
        WITHOUT_DISTRACTORS("without_distractors", "Images without distractors");

        final String key;
        final String title;

        Group(String key, String title) {
            this.key = key;
            this.title = title;
        }
    }

    /** Scores of one group in percent, as {@link SegmentationMetrics.Scores}, with the sample count. */
    public record Scores(double p50, double p70, double p90, double oIoU, double mIoU, int n) {

        /** Reads one group ({@code all}, ...) of an evaluation's metrics.json; null when absent. */
        static Scores of(JsonNode metrics, Group g) {
            JsonNode s = metrics.get(g.key);
            if (s == null || !s.isObject()) {
                return null;
            }
            return new Scores(s.path("P@0.5").asDouble(), s.path("P@0.7").asDouble(), s.path("P@0.9").asDouble(),
                    s.path("oIoU").asDouble(), s.path("mIoU").asDouble(), s.path("n").asInt());
        }
    }

    /**
     * One variant's row.
     *
     * @param metrics the variant's evaluation metrics.json, or null when it has none
     * @param status  shown after the name when there are no metrics ("failed", "not finished"), else null
     */
    public record Row(Variant variant, JsonNode metrics, String status) {

        public Scores scores(Group g) {
            return metrics == null ? null : Scores.of(metrics, g);
        }
    }

    private AblationTable() {
    }

    /** The paper's name of a variant in Table III. */
    public static String label(Variant v) {
        return switch (v) {
            case VISION_ONLY -> "Vision only";
            case NO_VQL -> "+LQV";
            case MQN -> "+LQV+VQL (MQN)";
        };
    }

    /** The three tables (Markdown, each under a {@code ###} heading), rows in the paper's order. */
    public static String markdown(List<Row> rows) {
        List<Row> sorted = rows.stream().sorted(Comparator.comparingInt(r -> order(r.variant()))).toList();
        StringBuilder sb = new StringBuilder();
        for (Group g : Group.values()) {
            int n = sorted.stream().map(r -> r.scores(g)).filter(s -> s != null).mapToInt(Scores::n).max().orElse(-1);
            sb.append("### ").append(g.title).append(n >= 0 ? " (n = " + n + ")" : "").append("\n\n");
            if (n == 0) {
                sb.append("No such test images (or the split has no n_distractors metadata).\n\n");
                continue;
            }
            sb.append("| method | LQV | VQL | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU |\n");
            sb.append("|---|:-:|:-:|---:|---:|---:|---:|---:|\n");
            for (Row r : sorted) {
                Variant v = r.variant();
                sb.append("| ").append(label(v)).append(r.metrics() == null ? " (" + r.status() + ")" : "").append(" | ")
                        .append(v == Variant.VISION_ONLY ? "" : "✓").append(" | ").append(v == Variant.MQN ? "✓" : "").append(" | ");
                Scores s = r.scores(g);
                if (s == null) {
                    sb.append("– | – | – | – | – |\n");
                } else {
                    sb.append(String.format(Locale.ROOT, "%.2f | %.2f | %.2f | %.2f | %.2f |%n", s.p50(), s.p70(), s.p90(),
                            s.oIoU(), s.mIoU()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int order(Variant v) {
        return switch (v) {
            case VISION_ONLY -> 0;
            case NO_VQL -> 1;
            case MQN -> 2;
        };
    }
}
