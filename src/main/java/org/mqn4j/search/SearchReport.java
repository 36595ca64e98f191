package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.io.GraphFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A search's report: a Markdown table of the trials ranked by validation mIoU (the report file, e.g.
 * {@code results/search.md}) and the same as JSON ({@code search.json} beside the trials).
 */
public final class SearchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SearchReport() {
    }

    /**
     * The Markdown report.
     *
     * @param config  the search
     * @param command the command line that made it
     * @param total   the number of trials the search runs
     * @param records the trials so far
     * @param bestYaml where the best trial's config is written (shown in the report), or null
     */
    public static String markdown(SearchConfig config, String command, int total, List<TrialRecord> records, Path bestYaml) {
        List<String> paths = config.space().paths();
        StringBuilder s = new StringBuilder();
        s.append("# Hyperparameter search (Arbiter)\n\n");
        s.append("Made by `").append(command).append("`.\n\n");
        s.append(String.format(Locale.ROOT, "- base config: `%s`; every trial sets %s%n", config.base(), describeSet(config.set())));
        s.append(String.format(Locale.ROOT, "- %s search, %d trials, %d at a time (each `mqn train` in its own JVM with one ND4J thread)%s%n",
                config.generator() == SearchConfig.Generator.GRID ? "grid (" + config.gridPoints() + " points per range)" : "random (seed " + config.seed() + ")",
                total, config.parallel(), config.maxMinutes() > 0
                        ? String.format(Locale.ROOT, "; no trial starts after %s minutes (max_minutes)", format(JSON.valueToTree(config.maxMinutes()))) : ""));
        s.append("- space: ").append(config.space()).append('\n');
        s.append("- score: validation mIoU of each run's best validated epoch (the test split is not used)\n\n");
        long finished = records.stream().filter(TrialRecord::finished).count();
        long failed = records.stream().filter(r -> r.status().equals("failed")).count();
        s.append(String.format(Locale.ROOT, "%d of %d trials finished, %d failed, %d running, %d not started%s.%n%n", finished, total, failed,
                records.size() - finished - failed, total - records.size(),
                total > records.size() && config.maxMinutes() > 0 ? " (or stopped by max_minutes)" : ""));
        if (finished > 0) {
            TrialRecord best = ArbiterSearch.best(records);
            s.append(String.format(Locale.ROOT, "Best: trial %02d, %s: val mIoU %.2f%s.%n%n", best.index(), describeSet(best.values()),
                    best.score(), bestYaml == null ? "" : "; its config is `" + bestYaml + "`"));
        }
        s.append("| rank | trial |");
        paths.forEach(p -> s.append(' ').append(p).append(" |"));
        s.append(" val mIoU | val oIoU | best epoch | steps | train min | wall min | status |\n|---|---|");
        paths.forEach(p -> s.append("---|"));
        s.append("---|---|---|---|---|---|---|\n");
        List<TrialRecord> ranked = records.stream().sorted(Comparator.comparing((TrialRecord r) -> !r.finished())
                .thenComparing(r -> r.finished() ? -r.score() : 0).thenComparing(TrialRecord::index)).toList();
        int rank = 0;
        for (TrialRecord r : ranked) {
            s.append("| ").append(r.finished() ? String.valueOf(++rank) : "-").append(String.format(Locale.ROOT, " | %02d |", r.index()));
            paths.forEach(p -> s.append(' ').append(format(r.values().get(p))).append(" |"));
            ValidationMiou.Best b = r.best();
            if (b != null) {
                s.append(String.format(Locale.ROOT, " %.2f | %s | %d | %d | %.1f | %.1f | %s |%n", b.mIoU(),
                        Double.isNaN(b.oIoU()) ? "-" : String.format(Locale.ROOT, "%.2f", b.oIoU()), b.epoch(), b.steps(),
                        b.seconds() / 60, r.minutes(), r.status()));
            } else {
                s.append(String.format(Locale.ROOT, " - | - | - | - | - | %.1f | %s |%n", r.minutes(),
                        r.error() == null ? r.status() : r.status() + ": " + r.error().replace('|', '/').replace('\n', ' ')));
            }
        }
        return s.toString();
    }

    /** The trials as JSON: each with its values, status, validation metrics and run directory. */
    public static void writeJson(Path file, SearchConfig config, List<TrialRecord> records) {
        ObjectNode root = JSON.createObjectNode();
        root.put("base", config.base().toString());
        root.put("generator", config.generator().name().toLowerCase(Locale.ROOT));
        root.set("set", JSON.valueToTree(config.set()));
        ArrayNode trials = root.putArray("trials");
        for (TrialRecord r : records) {
            ObjectNode t = trials.addObject();
            t.put("index", r.index());
            t.set("values", JSON.valueToTree(r.values()));
            t.put("status", r.status());
            t.put("run", r.run().toString());
            t.put("wall_minutes", r.minutes());
            if (r.best() != null) {
                t.put("val_mIoU", r.best().mIoU());
                t.put("val_oIoU", r.best().oIoU());
                t.put("best_epoch", r.best().epoch());
                t.put("steps", r.best().steps());
                t.put("train_seconds", r.best().seconds());
            }
            if (r.error() != null) {
                t.put("error", r.error());
            }
        }
        GraphFile.writeAtomically(file, tmp -> JSON.writeValue(tmp.toFile(), root));
    }

    /** Writes text (UTF-8) atomically: a temporary file, then a rename, so a stopped search never leaves half a report. */
    public static void writeText(Path file, String text) {
        GraphFile.writeAtomically(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    private static String describeSet(Map<String, JsonNode> set) {
        if (set.isEmpty()) {
            return "nothing else";
        }
        StringBuilder s = new StringBuilder();
        set.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append('`').append(k).append(": ").append(format(v)).append('`'));
        return s.toString();
    }

    /** A value as in YAML flow style: 0.0021, [3, 4], poly. */
    static String format(JsonNode v) {
        if (v == null) {
            return "-";
        }
        if (v.isFloatingPointNumber()) {
            double d = v.asDouble();
            return d != 0 && (Math.abs(d) < 1e-3 || Math.abs(d) >= 1e5) ? String.format(Locale.ROOT, "%.3g", d)
                    : String.format(Locale.ROOT, "%.4g", d).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
        }
        if (v.isTextual()) {
            return v.asText();
        }
        return v.toString().replace(",", ", ");
    }
}
