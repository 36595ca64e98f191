package org.mqn4j.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.eval.AblationTable;
import org.mqn4j.eval.ModelEvaluation;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnConfig.Variant;
import org.mqn4j.io.GraphFile;
import org.mqn4j.train.Checkpoint;
import org.mqn4j.train.MqnModel;
import org.mqn4j.train.TrainConfig;
import org.mqn4j.util.Machine;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code mqn ablate}: the paper's ablation (Table III). Trains the vision-only variant, +LQV ({@code no_vql})
 * and +LQV+VQL ({@code mqn}) of one config with the same budget and seed, each by {@code mqn train} in its own
 * JVM with one ND4J thread ({@link VariantRun}), evaluates each on the test split with the weights of its best
 * validation epoch and writes the table for all test images, images with distractors and images without.
 *
 * <p>Nothing is lost on failure: a variant that fails is reported in the table with its error and the others
 * still run; the report is rewritten as each variant finishes. Run again with the same {@code --out} and the
 * same settings, a finished variant is reused (its run directory holds {@code final.sd} and the same
 * config.yaml and data), an interrupted one resumes from its last checkpoint, a failed one is retrained; a run
 * directory made with other settings is left alone and reported ({@code --fresh} deletes and retrains it).
 */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = {"The paper's ablation (Table III): train vision only, +LQV (no_vql) and +LQV+VQL (mqn) with the same "
                + "budget and seed, evaluate each on the test split (best validation epoch) and write the table for all "
                + "test images, with distractors and without (--table, default <out>.md), per-variant metrics in --out.",
                "Budget: --steps N (each variant takes exactly N optimisation steps: independent of machine load, the "
                        + "recommended budget), --epochs E, or --minutes M (wall clock); without any, the config's "
                        + "epochs and time_budget_minutes.",
                "Each variant trains in its own JVM with one ND4J thread; --parallel of them at a time (default 2 with a "
                        + "step or epoch budget; 1 with a time budget, so that every variant has the machine to itself).",
                "Re-running with the same --out reuses finished variants and resumes interrupted ones."})
public final class AblateCommand implements Callable<Integer> {
    static final List<Variant> DEFAULT_VARIANTS = List.of(Variant.VISION_ONLY, Variant.NO_VQL, Variant.MQN);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    @Option(names = "--config", defaultValue = "conf/mqn_tiny.yaml", description = "Model and training config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--data", defaultValue = "data/demo", description = "Dataset root with train, val and test splits (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", defaultValue = "results/ablation", description = "Runs and per-variant metrics (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--table", paramLabel = "FILE", description = "The report (default: <out>.md, e.g. results/ablation.md).")
    Path table;

    @Option(names = "--steps", description = "Optimisation steps of each variant (train.max_steps).")
    Long steps;

    @Option(names = "--epochs", description = "Epochs of each variant (train.epochs).")
    Integer epochs;

    @Option(names = "--minutes", description = "Training time of each variant (train.time_budget_minutes).")
    Double minutes;

    @Option(names = "--variants", split = ",", defaultValue = "vision_only,no_vql,mqn",
            description = "Variants to train, of vision_only, no_vql, mqn (default: ${DEFAULT-VALUE}).")
    List<String> variantNames;

    @Option(names = "--parallel", description = "Variants trained at a time (default: 2, or 1 with a time budget).")
    Integer parallel;

    @Option(names = "--fresh", description = "Delete earlier runs of the variants in --out and train them again.")
    boolean fresh;

    private Path reportFile;
    private TrainConfig train;
    private Map<String, Object> budget;
    private int slots;
    private final List<Job> jobs = new ArrayList<>();

    /** One variant's run through this command. */
    private static final class Job {
        final Variant variant;
        final VariantRun run;
        final String yaml;
        String status = "pending";   // pending, reused, resumed, trained, failed
        String error;
        boolean resume;
        Process process;
        long started;
        long logOffset;
        JsonNode metrics;

        Job(Variant variant, VariantRun run, String yaml) {
            this.variant = variant;
            this.run = run;
            this.yaml = yaml;
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Variant> variants = parseVariants();
        if ((steps != null && steps < 1) || (epochs != null && epochs < 1) || (minutes != null && !(minutes > 0))
                || (parallel != null && parallel < 1)) {
            throw new MqnException("--steps, --epochs, --minutes and --parallel must be positive", null, 2);
        }
        for (String split : List.of("train", "val", "test")) {
            if (!Files.isRegularFile(data.resolve(split + ".jsonl"))) {
                throw new MqnException(data.resolve(split + ".jsonl") + " does not exist: ablate needs train, val and test splits "
                        + "(./mqn demo generates data/demo; ./mqn synth --out DIR generates any size)", null, 2);
            }
        }
        // channel_means: train is measured here, so the variants' config.yaml files (compared on a rerun) hold the numbers
        MqnConfig model = MqnModel.measured(MqnConfig.load(config), data, System.out);
        TrainConfig base = TrainConfig.load(config);
        budget = budget(base, count("train"));
        train = withBudget(base, budget);
        if (train.timeBudgetMinutes() <= 0 && steps == null && epochs == null) {
            System.err.printf(Locale.ROOT, "note: no step or time budget: each variant trains the config's %d epochs%n", train.epochs());
        }
        slots = parallel != null ? parallel : train.timeBudgetMinutes() > 0 ? 1 : 2;
        reportFile = table != null ? table : out.toAbsolutePath().resolveSibling(out.getFileName() + ".md");
        Path runs = out.resolve("runs");
        Files.createDirectories(runs);

        for (Variant v : variants) {
            String yaml = variantYaml(model, base, v);
            Job j = new Job(v, new VariantRun(runs.resolve(v.key() + ".yaml"), runs.resolve(v.key()), runs.resolve(v.key() + ".log")), yaml);
            if (fresh) {
                deleteRecursively(j.run.run());
            }
            prepare(j);
            jobs.add(j);
        }
        step("ablation of %s on %s: %s, %d variant(s) at a time, each in its own JVM with one ND4J thread", config, data,
                describe(train), slots);

        Deque<Job> queue = new ArrayDeque<>();
        for (Job j : jobs) {
            if (j.status.equals("reused")) {
                step("%s: reusing the finished run %s", j.variant.key(), j.run.run());
                evaluate(j);
            } else if (!j.status.equals("failed")) {
                queue.add(j);
            }
        }
        writeReport();
        trainAll(queue);
        String report = writeReport();
        System.out.println();
        System.out.print(report);
        System.out.println("report: " + reportFile + ", runs and metrics: " + out);
        long failed = jobs.stream().filter(j -> j.status.equals("failed")).count();
        if (failed > 0) {
            throw new MqnException(failed + " of " + jobs.size() + " variants failed (see " + reportFile + ")");
        }
        return 0;
    }

    /** Trains the queued variants, {@code slots} at a time, evaluating each as it finishes. */
    private void trainAll(Deque<Job> queue) throws InterruptedException, IOException {
        long timeout = train.timeBudgetMinutes() > 0 ? (long) (train.timeBudgetMinutes() * 60 + 900) : Long.MAX_VALUE;
        List<Job> running = new ArrayList<>();
        while (!queue.isEmpty() || !running.isEmpty()) {
            while (!queue.isEmpty() && running.size() < slots) {
                Job j = queue.poll();
                try {
                    Files.writeString(j.run.config(), j.yaml);
                    j.process = j.run.start(data, j.resume);
                    j.started = System.nanoTime();
                    running.add(j);
                    step("%s: %s (log: %s)", j.variant.key(), j.resume ? "resuming from its last checkpoint" : "training", j.run.log());
                } catch (IOException e) {
                    fail(j, "cannot start the training JVM: " + e.getMessage());
                }
            }
            Thread.sleep(1000);
            for (Job j : List.copyOf(running)) {
                relayProgress(j);
                if (j.process.isAlive() && (System.nanoTime() - j.started) / 1_000_000_000L > timeout) {
                    j.process.destroyForcibly().waitFor();
                    fail(j, "did not finish within its time budget plus 15 minutes; killed");
                }
                if (!j.process.isAlive()) {
                    running.remove(j);
                    relayProgress(j);
                    if (!j.status.equals("failed")) {
                        if (j.process.exitValue() == 0) {
                            j.status = j.resume ? "resumed" : "trained";
                            evaluate(j);
                        } else {
                            fail(j, "training exited with status " + j.process.exitValue() + ": " + lastError(j.run.log()));
                        }
                    }
                    writeReport();
                }
            }
        }
    }

    private List<Variant> parseVariants() {
        List<Variant> vs = new ArrayList<>();
        for (String name : variantNames) {
            Variant v = null;
            for (Variant c : Variant.values()) {
                if (c.key().equals(name.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
                    v = c;
                }
            }
            if (v == null) {
                throw new MqnException("--variants: '" + name + "' is not one of vision_only, no_vql, mqn", null, 2);
            }
            if (vs.contains(v)) {
                throw new MqnException("--variants: " + v.key() + " is listed twice", null, 2);
            }
            vs.add(v);
        }
        if (vs.isEmpty()) {
            throw new MqnException("--variants: no variant", null, 2);
        }
        return vs;
    }

    /** The config file of one variant's run: --config with the variant and this command's budget. */
    String variantYaml(MqnConfig model, TrainConfig base, Variant v) throws IOException {
        return VariantRun.configYaml(config, model.toBuilder().variant(v).build(), budget(base, count("train")));
    }

    /**
     * The train: keys every variant's config gets. --steps sets max_steps (and enough epochs to take them),
     * --epochs sets epochs; either drops the config's time budget unless --minutes is also given.
     */
    Map<String, Object> budget(TrainConfig base, int trainImages) {
        Map<String, Object> b = new LinkedHashMap<>();
        if (steps != null) {
            long perEpoch = Math.max(1, (trainImages + base.batchSize() - 1) / base.batchSize());
            b.put("max_steps", steps);
            b.put("epochs", (int) Math.max(epochs != null ? epochs : base.epochs(), (steps + perEpoch - 1) / perEpoch));
        } else if (epochs != null) {
            b.put("epochs", epochs);
        }
        if (minutes != null) {
            b.put("time_budget_minutes", minutes);
        } else if (steps != null || epochs != null) {
            b.put("time_budget_minutes", 0.0);
        }
        return b;
    }

    private static TrainConfig withBudget(TrainConfig base, Map<String, Object> budget) {
        TrainConfig.Builder b = base.toBuilder();
        if (budget.get("max_steps") instanceof Long s) {
            b.maxSteps(s);
        }
        if (budget.get("epochs") instanceof Integer e) {
            b.epochs(e);
        }
        if (budget.get("time_budget_minutes") instanceof Double m) {
            b.timeBudgetMinutes(m);
        }
        return b.build();
    }

    /** The budget in words: "300 steps of batch 8, seed 0", "30 epochs of batch 8 or 10.0 minutes, whichever ends first, seed 0". */
    static String describe(TrainConfig t) {
        String amount = t.maxSteps() > 0 ? String.format(Locale.ROOT, "%d steps of batch %d", t.maxSteps(), t.batchSize())
                : String.format(Locale.ROOT, "%d epochs of batch %d", t.epochs(), t.batchSize());
        return amount + (t.timeBudgetMinutes() > 0 ? String.format(Locale.ROOT, " or %.1f minutes, whichever ends first",
                t.timeBudgetMinutes()) : "") + ", seed " + t.seed();
    }

    /** Decides whether a variant is reused, resumed, trained afresh or refused (a run with other settings). */
    private void prepare(Job j) throws IOException {
        Path run = j.run.run();
        if (!Files.isDirectory(run) || isEmpty(run)) {
            return;
        }
        Path cfg = run.resolve("config.yaml");
        boolean sameConfig = Files.isRegularFile(cfg) && Files.readString(cfg, StandardCharsets.UTF_8).equals(j.yaml);
        if (!sameConfig || !sameData(run)) {
            fail(j, run + " holds a run with other settings (" + (sameConfig ? "its run.json names other data" : "no config.yaml, or another")
                    + "); pass --fresh to delete it and train again, or choose another --out");
        } else if (Files.isRegularFile(run.resolve("final.sd"))) {
            j.status = "reused";
        } else {
            j.resume = Checkpoint.exists(run);
        }
    }

    private boolean sameData(Path run) {
        Path info = run.resolve("run.json");
        if (!Files.isRegularFile(info)) {
            return true;   // no run started there yet
        }
        try {
            return JSON.readTree(info.toFile()).path("data").asText().equals(data.toAbsolutePath().toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Evaluates the variant's selected weights on the test split into {@code out/eval-<variant>} (reused when up to date). */
    private void evaluate(Job j) {
        Path weights = VariantRun.selected(j.run.run());
        Path dir = out.resolve("eval-" + j.variant.key());
        Path metrics = dir.resolve("metrics.json");
        try {
            if (Files.isRegularFile(metrics) && Files.getLastModifiedTime(metrics).compareTo(lastModified(weights)) > 0) {
                j.metrics = JSON.readTree(metrics.toFile());
                return;
            }
            step("%s: evaluating %s on %s", j.variant.key(), weights, data.resolve("test.jsonl"));
            ModelEvaluation.Result r = VariantRun.evaluate(ModelSource.load(weights), data, dir, 0);
            j.metrics = JSON.readTree(r.toJson());
            step("%s: test mIoU %.2f (with distractors %.2f, without %.2f)", j.variant.key(), r.all().scores().meanIoU(),
                    r.withDistractors().scores().meanIoU(), r.withoutDistractors().scores().meanIoU());
        } catch (IOException | RuntimeException e) {
            fail(j, "evaluation failed: " + (e instanceof MqnException ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage());
        }
    }

    private static java.nio.file.attribute.FileTime lastModified(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return Files.getLastModifiedTime(p);
        }
        return Files.getLastModifiedTime(p.resolve("final.sd"));
    }

    private static void fail(Job j, String error) {
        j.status = "failed";
        j.error = error;
        j.metrics = null;
        System.err.println("== " + j.variant.key() + " failed: " + error);
    }

    /** Relays the child's epoch summaries (its log's new "epoch ..." lines) to stderr. */
    private static void relayProgress(Job j) {
        j.logOffset = j.run.relayProgress(j.logOffset, j.variant.key());
    }

    /** The child's own error line ("error: ..."), else its last line. */
    static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("error: ")) {
                    return lines.get(i).substring("error: ".length());
                }
            }
            return lines.isEmpty() ? "(empty log " + log + ")" : lines.get(lines.size() - 1) + " (see " + log + ")";
        } catch (IOException e) {
            return "(no log " + log + ")";
        }
    }

    /** Writes the report and ablation.json from the variants' state now; returns the report. */
    private String writeReport() throws IOException {
        List<AblationTable.Row> rows = jobs.stream().map(j -> new AblationTable.Row(j.variant, j.metrics,
                j.metrics != null ? null : j.status.equals("failed") ? "failed" : "not finished")).toList();
        StringBuilder sb = new StringBuilder("# Ablation: what LQV and VQL add (the paper's Table III)\n\n");
        sb.append(String.format(Locale.ROOT, "Command: `%s`%n%n", commandLine()));
        sb.append(String.format(Locale.ROOT, "Config %s; data %s (%d train / %d val / %d test images). Budget of every variant: %s. "
                        + "Each variant trained by `mqn train` in its own JVM with one ND4J thread, %d at a time, and evaluated "
                        + "on the test split with the weights of its best validation epoch, at the model's input size. "
                        + "%s; machine: %s, load average %.1f when the report was written.%n%n",
                config, data, count("train"), count("val"), count("test"), describe(train), slots,
                java.time.LocalDate.now(), Machine.describe(), Machine.loadAverage()));
        sb.append(AblationTable.markdown(rows));
        sb.append("### Runs\n\n| variant | status | steps | training minutes | images/s | best epoch (val mIoU) |\n|---|---|---:|---:|---:|---|\n");
        ObjectNode summary = JSON.createObjectNode();
        summary.put("command", commandLine());
        summary.put("config", config.toString());
        summary.put("data", data.toString());
        summary.put("budget", describe(train));
        summary.set("budget_keys", JSON.valueToTree(budget));
        summary.put("parallel", slots);
        summary.put("written", Instant.now().toString());
        ObjectNode vs = summary.putObject("variants");
        for (Job j : jobs.stream().sorted(Comparator.comparingInt(j -> DEFAULT_VARIANTS.indexOf(j.variant))).toList()) {
            JsonNode m = readJson(j.run.run().resolve("metrics.json"));
            long stepCount = 0;
            double seconds = 0;
            double images = 0;
            for (JsonNode e : m == null ? JSON.createArrayNode() : m.path("epochs")) {
                stepCount += e.path("steps").asLong();
                seconds += e.path("seconds").asDouble();
                images += e.path("seconds").asDouble() * e.path("images_per_second").asDouble();
            }
            JsonNode best = m == null ? null : m.get("best");
            boolean trainedSomething = m != null && stepCount > 0;
            sb.append(String.format(Locale.ROOT, "| %s (`%s`) | %s | %s | %s | %s | %s |%n", AblationTable.label(j.variant), j.variant.key(),
                    j.status, trainedSomething ? Long.toString(stepCount) : "–",
                    trainedSomething ? String.format(Locale.ROOT, "%.1f", seconds / 60) : "–",
                    trainedSomething ? String.format(Locale.ROOT, "%.1f", images / Math.max(1e-9, seconds)) : "–",
                    best == null ? "–" : String.format(Locale.ROOT, "%d (%.2f)", best.path("epoch").asInt(), best.path("val_mIoU").asDouble())));
            ObjectNode o = vs.putObject(j.variant.key());
            o.put("status", j.status);
            if (j.error != null) {
                o.put("error", j.error);
            }
            o.put("run", j.run.run().toString());
            if (trainedSomething) {
                o.put("steps", stepCount).put("train_seconds", seconds);
            }
            if (best != null) {
                o.set("best", best);
            }
            if (j.metrics != null) {
                o.set("test", j.metrics);
            }
        }
        sb.append('\n');
        for (Job j : jobs) {
            if (j.error != null) {
                sb.append(String.format(Locale.ROOT, "- %s (`%s`) failed: %s (log: %s)%n", AblationTable.label(j.variant),
                        j.variant.key(), j.error, j.run.log()));
            }
        }
        sb.append("\nThe paper's Table III (MMPS test split, Swin-B from ImageNet, domain-pretrained text encoder, 480 px, "
                + "30 epochs on 4 GPUs), for comparison of the differences, not the levels:\n\n"
                + "| method | LQV | VQL | P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU |\n|---|:-:|:-:|---:|---:|---:|---:|---:|\n"
                + "| Vision only |  |  | 93.40 | 85.88 | 56.20 | 83.90 | 83.88 |\n"
                + "| +LQV | ✓ |  | 96.04 | 91.60 | 71.20 | 87.96 | 88.48 |\n"
                + "| +LQV+VQL (MQN) | ✓ | ✓ | 96.43 | 93.82 | 78.24 | 89.26 | 90.08 |\n\n");
        sb.append(String.format(Locale.ROOT, "Files in `%s`: `eval-<variant>/` (metrics.json, table.md, samples.csv), `runs/<variant>/` "
                + "(metrics.json, curves.png, config.yaml; model files not committed), `runs/<variant>.log`, `ablation.json`.%n", out));
        String text = sb.toString();
        write(reportFile, text);
        write(out.resolve("ablation.json"), JSON.writeValueAsString(summary) + "\n");
        return text;
    }

    /** The command line that reproduces this run. */
    String commandLine() {
        StringBuilder c = new StringBuilder("./mqn ablate --config " + config + " --data " + data + " --out " + out);
        if (table != null) {
            c.append(" --table ").append(table);
        }
        if (steps != null) {
            c.append(" --steps ").append(steps);
        }
        if (epochs != null) {
            c.append(" --epochs ").append(epochs);
        }
        if (minutes != null) {
            c.append(" --minutes ").append(minutes);
        }
        c.append(" --variants ").append(String.join(",", variantNames));
        if (parallel != null) {
            c.append(" --parallel ").append(parallel);
        }
        return c.toString();
    }

    private static JsonNode readJson(Path f) {
        try {
            return Files.isRegularFile(f) ? JSON.readTree(f.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        GraphFile.writeAtomically(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    private int count(String split) {
        try (Stream<String> lines = Files.lines(data.resolve(split + ".jsonl"))) {
            return (int) lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void step(String format, Object... args) {
        System.out.printf(Locale.ROOT, "== " + format + "%n", args);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
