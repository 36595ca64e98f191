package org.mqn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.commons.io.FileUtils;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.search.ArbiterSearch;
import org.mqn4j.search.SearchConfig;
import org.mqn4j.search.SearchReport;
import org.mqn4j.search.Trial;
import org.mqn4j.search.TrialRecord;
import org.mqn4j.search.ValidationMiou;
import org.mqn4j.train.Checkpoint;
import org.mqn4j.train.MqnModel;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code mqn search}: an Arbiter hyperparameter search (grid or random) over any keys of a run config, e.g. the
 * learning rate and the fusion placement. Each trial is {@code mqn train} in its own JVM with one ND4J thread
 * ({@link VariantRun}), scored by the validation mIoU of its best epoch; the report ranks them.
 *
 * <p>Nothing is lost on failure: the report and {@code search.json} are rewritten as each trial starts and
 * ends, a failed trial is reported with its error and the others go on. Run again with the same {@code --out},
 * finished trials are reused and interrupted ones resume from their last checkpoint (the same seed and space
 * give the same trials); a trial directory made with other settings is refused ({@code --fresh} deletes them).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Hyperparameter search with Arbiter (grid or random) over keys of a run config, e.g. train.learning_rate "
                + "and model.fusion_stages (conf/search_tiny.yaml shows the file). Each trial trains by mqn train in its own "
                + "JVM with one ND4J thread, --parallel at a time, and is scored by the validation mIoU of its best epoch.",
                "Writes the ranked table (--report, default <out>.md), <out>/search.json, <out>/best.yaml (the best trial's "
                        + "config, for mqn train) and every trial's run, config and log in <out>/trials.",
                "Re-running with the same --out reuses finished trials and resumes interrupted ones."})
public final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Option(names = "--spec", defaultValue = "conf/search_tiny.yaml", description = "The search file (default: ${DEFAULT-VALUE}).")
    Path spec;

    @Option(names = "--config", description = "Base run config (default: the search file's base).")
    Path config;

    @Option(names = "--data", defaultValue = "data/demo", description = "Dataset root with train and val splits (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", defaultValue = "results/search", description = "Trials, search.json and best.yaml (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "The Markdown report (default: <out>.md, e.g. results/search.md).")
    Path report;

    @Option(names = "--candidates", description = "Trials to run (default: the search file's candidates).")
    Integer candidates;

    @Option(names = "--parallel", description = "Trials trained at a time (default: the search file's parallel).")
    Integer parallel;

    @Option(names = "--minutes", description = "Start no trial after this many minutes; running ones finish (default: the search file's max_minutes).")
    Double minutes;

    @Option(names = "--fresh", description = "Delete the trials of an earlier search in --out first.")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        SearchConfig.Builder b = SearchConfig.load(spec).toBuilder();
        if (config != null) b.base(config);
        if (candidates != null) b.candidates(candidates);
        if (parallel != null) b.parallel(parallel);
        if (minutes != null) b.maxMinutes(minutes);
        SearchConfig cfg = b.build();
        for (String split : List.of("train", "val")) {
            if (!Files.isRegularFile(data.resolve(split + ".jsonl"))) {
                throw new MqnException(data.resolve(split + ".jsonl") + " does not exist: a search trains on train and scores on val "
                        + "(./mqn synth --out DIR generates a dataset)", null, 2);
            }
        }
        if (!Files.isRegularFile(cfg.base())) {
            throw new MqnException(spec + ": base config " + cfg.base() + " does not exist", null, 2);
        }
        ObjectNode base = (ObjectNode) YAML.readTree(cfg.base().toFile());
        if (base.path("model") instanceof ObjectNode m && MqnConfig.MEASURE_CHANNEL_MEANS.equals(m.path("channel_means").asText())) {
            // measured once here, so each trial's config.yaml (compared when the search is rerun) holds the numbers
            m.set("channel_means", MqnModel.measured(MqnConfig.load(cfg.base()), data, System.out).toTree().get("channel_means"));
        }
        Path trials = out.resolve("trials");
        if (fresh && Files.exists(trials)) {
            FileUtils.deleteDirectory(trials.toFile());
        }
        Files.createDirectories(trials);
        Path reportFile = report != null ? report : out.toAbsolutePath().resolveSibling(out.getFileName() + ".md");
        Path bestYaml = out.resolve("best.yaml");
        String command = "mqn search --spec " + spec + (config != null ? " --config " + config : "") + " --data " + data
                + " --out " + out + (candidates != null ? " --candidates " + candidates : "") + (parallel != null ? " --parallel " + parallel : "") + (minutes != null ? " --minutes " + minutes : "");

        ArbiterSearch search = new ArbiterSearch(cfg, base, trials, this::train, s -> {
            SearchReport.writeText(reportFile, SearchReport.markdown(cfg, command, s.total(), s.records(), null));
            SearchReport.writeJson(out.resolve("search.json"), cfg, s.records());
        });
        search.checkSpace(trials.resolve("check.yaml"));
        System.out.printf(Locale.ROOT, "== search of %s on %s: %d trials (%s), %d at a time; space: %s%n", cfg.base(), data,
                search.total(), cfg.generator().name().toLowerCase(Locale.ROOT), cfg.parallel(), cfg.space());

        List<TrialRecord> records = search.run();
        TrialRecord best = ArbiterSearch.best(records);
        SearchReport.writeText(bestYaml, "# the best trial (" + String.format(Locale.ROOT, "%02d", best.index()) + ", val mIoU "
                + String.format(Locale.ROOT, "%.2f", best.score()) + ") of " + command + "\n"
                + Files.readString(trials.resolve(String.format(Locale.ROOT, "%02d.yaml", best.index())), StandardCharsets.UTF_8));
        String md = SearchReport.markdown(cfg, command, search.total(), records, bestYaml);
        SearchReport.writeText(reportFile, md);
        System.out.println();
        System.out.print(md);
        System.out.println("report: " + reportFile + ", trials: " + trials + ", best config: " + bestYaml);
        long failed = records.stream().filter(r -> r.status().equals("failed")).count();
        if (failed > 0) {
            System.err.printf(Locale.ROOT, "note: %d of %d trials failed (errors in the report)%n", failed, records.size());
        }
        return 0;
    }

    /** Trains one trial with mqn train in a child JVM; reuses a finished run of the same config, resumes an interrupted one. */
    private String train(Trial t) throws IOException, InterruptedException {
        boolean resume = false;
        if (Files.isDirectory(t.run()) && !isEmpty(t.run())) {
            Path cfg = t.run().resolve("config.yaml");
            if (!Files.isRegularFile(cfg) || !Files.readString(cfg, StandardCharsets.UTF_8).equals(t.yaml())) {
                throw new MqnException(t.run() + " holds a run with other settings; pass --fresh to delete the earlier trials, "
                        + "or choose another --out");
            }
            if (Files.isRegularFile(t.run().resolve("final.sd"))) {
                step("trial %02d %s: reusing its finished run", t.index(), values(t.values()));
                return "reused";
            }
            resume = Checkpoint.exists(t.run());
        }
        Files.writeString(t.config(), t.yaml(), StandardCharsets.UTF_8);
        step("trial %02d %s: %s (log: %s)", t.index(), values(t.values()), resume ? "resuming" : "training", t.log());
        VariantRun run = new VariantRun(t.config(), t.run(), t.log());
        Process p = run.start(data, resume);
        try {
            long offset = 0;
            String name = String.format(Locale.ROOT, "trial %02d", t.index());
            while (!p.waitFor(1, TimeUnit.SECONDS)) {
                offset = run.relayProgress(offset, name);
            }
            run.relayProgress(offset, name);
            int code = p.exitValue();
            if (code != 0) {
                throw new MqnException("training exited with status " + code + ": " + AblateCommand.lastError(t.log()));
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        step("trial %02d %s: val mIoU %.2f", t.index(), values(t.values()), ValidationMiou.read(t.run()).mIoU());
        return resume ? "resumed" : "trained";
    }

    private static String values(Map<String, JsonNode> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k.substring(k.lastIndexOf('.') + 1) + "=" + v));
        return "(" + String.join(", ", parts) + ")";
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void step(String format, Object... args) {
        System.out.printf(Locale.ROOT, "== " + format + "%n", args);
    }
}
