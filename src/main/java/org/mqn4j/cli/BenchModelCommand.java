package org.mqn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.io.GraphFile;
import org.mqn4j.train.ModelBenchmark;
import org.mqn4j.train.MqnModel;
import org.mqn4j.train.TrainConfig;
import org.mqn4j.util.Machine;
import org.mqn4j.util.MqnException;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code mqn bench model}: training and inference images/s and peak memory of whole MQN networks
 * ({@link ModelBenchmark}), by default the demo's ({@code conf/mqn_tiny.yaml} at its batch size) and the
 * paper's ({@code conf/mqn_swin_b.yaml}: Swin-B, base text encoder, 480 px, batch 1).
 *
 * <p>Each (config, phase) runs in a fresh JVM, so that one phase's memory does not count in the next and a
 * phase that does not fit fails alone: this process watches the worker's resident size and kills it above
 * a limit (by default the memory available at its start less 1.5 GiB) or after {@code --max-minutes}, and
 * reports that instead of letting the kernel's OOM killer pick a victim on a shared machine. The report is
 * rewritten after every phase.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Time whole MQN networks (random weights): training steps (AdamW, the trainer's path) and inference "
                + "(forward of the probability output), images/s at the median of the timed runs after warm-up, and peak "
                + "resident memory; results in --out (Markdown) with the machine and the command.",
                "Default: conf/mqn_tiny.yaml at its batch size and conf/mqn_swin_b.yaml (the paper's network) at batch 1.",
                "Every phase runs in its own JVM, killed (and reported) above --max-memory-gib resident or after --max-minutes."})
public final class BenchModelCommand implements Callable<Integer> {
    static final List<Path> DEFAULT_CONFIGS = List.of(Path.of("conf/mqn_tiny.yaml"), Path.of("conf/mqn_swin_b.yaml"));
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--config", split = ",", paramLabel = "YAML",
            description = "Model configs (default: conf/mqn_tiny.yaml,conf/mqn_swin_b.yaml).")
    List<Path> configs;

    @Option(names = "--batch", split = ",", description = "Batch size per config, or one for all (default: the config's "
            + "train.batch_size, 1 when it sets none).")
    List<Integer> batches;

    @Option(names = "--phases", split = ",", defaultValue = "infer,train", description = "Phases, of infer and train (default: ${DEFAULT-VALUE}).")
    List<String> phases;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--steps-per-call", defaultValue = "4", description = "Training steps per SameDiff fit call in a timed "
            + "run, the time reported per step (default: ${DEFAULT-VALUE}; the trainer makes one call per checkpoint interval, "
            + "1 is the per-step calls it made before).")
    int stepsPerCall;

    @Option(names = "--threads", defaultValue = "1", description = "ND4J threads (OMP_NUM_THREADS of the workers; default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-memory-gib", description = "Kill a phase above this resident size (default: available memory at its start less 1.5 GiB, at most 20).")
    Double maxMemoryGib;

    @Option(names = "--max-minutes", defaultValue = "30", description = "Kill a phase after this long (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--out", defaultValue = "results/bench-model.md", description = "The report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--worker", hidden = true, description = "Run one phase in this JVM for the first config (used by the parent).")
    String worker;

    @Option(names = "--json", hidden = true, description = "Where the worker writes its result.")
    Path json;

    /** One (config, phase): its result, or why there is none. */
    record Outcome(Path config, String phase, int batch, ModelBenchmark.Result result, String error, double maxRssGib, double limitGib) {
    }

    @Override
    public Integer call() throws Exception {
        List<Path> cfgs = configs == null || configs.isEmpty() ? DEFAULT_CONFIGS : configs;
        if (runs < 1 || warmup < 0 || threads < 1 || stepsPerCall < 1 || !(maxMinutes > 0) || (maxMemoryGib != null && !(maxMemoryGib > 0))) {
            throw new MqnException("--runs, --threads and --steps-per-call must be at least 1, --warmup at least 0, --max-minutes and --max-memory-gib positive", null, 2);
        }
        for (String p : phases) {
            if (!p.equals(ModelBenchmark.TRAIN) && !p.equals(ModelBenchmark.INFER)) {
                throw new MqnException("--phases: '" + p + "' is not infer or train", null, 2);
            }
        }
        if (batches != null && batches.size() != 1 && batches.size() != cfgs.size()) {
            throw new MqnException("--batch: give one batch size, or one per config (" + cfgs.size() + ")", null, 2);
        }
        int[] batch = new int[cfgs.size()];
        for (int i = 0; i < batch.length; i++) {
            MqnConfig.load(cfgs.get(i));   // a bad config fails here, not in a worker
            batch[i] = batches == null ? defaultBatch(cfgs.get(i)) : batches.get(batches.size() == 1 ? 0 : i);
            if (batch[i] < 1) {
                throw new MqnException("--batch must be at least 1", null, 2);
            }
        }
        if (worker != null) {
            return work(cfgs.get(0), batch[0]);
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        double loadBefore = Machine.loadAverage();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < cfgs.size(); i++) {
            for (String phase : phases) {
                System.err.printf(Locale.ROOT, "bench model: %s, %s, batch %d%n", cfgs.get(i), phase, batch[i]);
                outcomes.add(runWorker(cfgs.get(i), phase, batch[i]));
                write(report(outcomes, started, loadBefore, Machine.loadAverage(), false));
            }
        }
        String text = report(outcomes, started, loadBefore, Machine.loadAverage(), true);
        write(text);
        System.out.print(table(outcomes));
        System.out.println("report: " + out);
        return 0;
    }

    /** The config's train.batch_size if it sets one, else 1 (the paper's network at 480 px). */
    static int defaultBatch(Path config) {
        try {
            var n = new ObjectMapper(new YAMLFactory()).readTree(config.toFile()).path("train").path("batch_size");
            return n.isInt() ? n.intValue() : 1;
        } catch (IOException e) {
            throw new MqnException("cannot read " + config + ": " + e.getMessage(), e);
        }
    }

    /** The worker: one phase of one config in this JVM, the result (or the error) as JSON. */
    private int work(Path config, int batch) throws IOException {
        if (json == null) {
            throw new MqnException("--worker needs --json");
        }
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        ObjectNode o = JSON.createObjectNode();
        try {
            MqnModel model = new MqnModel(MqnConfig.load(config));
            ModelBenchmark.Result r = worker.equals(ModelBenchmark.TRAIN)
                    ? ModelBenchmark.train(model, trainConfig(config), batch, warmup, runs, stepsPerCall, System.err)
                    : ModelBenchmark.infer(model, batch, warmup, runs, System.err);
            o.set("result", JSON.valueToTree(r));
        } catch (RuntimeException | OutOfMemoryError e) {
            o.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            Files.writeString(json, JSON.writeValueAsString(o));
            throw e;
        }
        Files.writeString(json, JSON.writeValueAsString(o));
        return 0;
    }

    private static TrainConfig trainConfig(Path config) {
        try {
            return TrainConfig.load(config);
        } catch (MqnException e) {
            if (e.getMessage().contains("no 'train:' section")) {
                return TrainConfig.builder().build();
            }
            throw e;
        }
    }

    /** Runs one phase in a worker JVM, watching its resident size and time. */
    private Outcome runWorker(Path config, String phase, int batch) throws IOException, InterruptedException {
        Path result = Files.createTempFile("mqn-bench-", ".json");
        long available = Machine.availableMemoryBytes();
        double limit = maxMemoryGib != null ? maxMemoryGib
                : available > 0 ? Math.min(20, available / GIB - 1.5) : 20;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx6g", "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "bench", "model", "--worker", phase, "--config", config.toString(), "--batch", Integer.toString(batch),
                "--warmup", Integer.toString(warmup), "--runs", Integer.toString(runs), "--steps-per-call", Integer.toString(stepsPerCall), "--threads", Integer.toString(threads),
                "--json", result.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process p = pb.start();
        Thread hook = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        long maxRss = 0;
        String killed = null;
        try {
            while (p.isAlive()) {
                long rss = Machine.rssBytes(p.pid());
                maxRss = Math.max(maxRss, rss);
                if (rss > limit * GIB) {
                    p.destroyForcibly().waitFor();
                    killed = String.format(Locale.ROOT, "does not fit: killed at %.1f GiB resident (limit %.1f GiB%s)", rss / GIB, limit,
                            maxMemoryGib != null ? "" : String.format(Locale.ROOT, ": %.1f GiB were available at its start", available / GIB));
                } else if ((System.nanoTime() - t0) / 60e9 > maxMinutes) {
                    p.destroyForcibly().waitFor();
                    killed = String.format(Locale.ROOT, "killed after %.0f minutes (--max-minutes)", maxMinutes);
                } else {
                    p.waitFor(100, TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        double maxGib = maxRss / GIB;
        try {
            if (killed != null) {
                System.err.println("bench model: " + killed);
                return new Outcome(config, phase, batch, null, killed, maxGib, limit);
            }
            var node = Files.size(result) > 0 ? JSON.readTree(result.toFile()) : null;
            if (node != null && node.has("result") && p.exitValue() == 0) {
                return new Outcome(config, phase, batch, JSON.treeToValue(node.get("result"), ModelBenchmark.Result.class), null, maxGib, limit);
            }
            String error = node != null && node.has("error") ? node.get("error").asText()
                    : "the worker exited with status " + p.exitValue() + (p.exitValue() == 137 ? " (killed: out of memory?)" : "");
            return new Outcome(config, phase, batch, null, error, maxGib, limit);
        } finally {
            Files.deleteIfExists(result);
        }
    }

    static String table(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("| config | input | parameters | phase | batch | median ms | images/s | min ms | peak RSS GiB | note |\n"
                + "|---|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Outcome o : outcomes) {
            ModelBenchmark.Result r = o.result();
            if (r == null) {
                sb.append(String.format(Locale.ROOT, "| %s | | | %s | %d | – | – | – | ≥ %.1f | %s |%n", o.config(), o.phase(), o.batch(),
                        o.maxRssGib(), o.error().replace("|", "/").replace("\n", " ")));
            } else {
                sb.append(String.format(Locale.ROOT, "| %s | %dx%d | %,d | %s | %d | %.1f | %.2f | %.1f | %.2f | |%n", o.config(),
                        r.imageSize(), r.imageSize(), r.parameters(), r.phase(), r.batch(), r.timing().medianMs(), r.imagesPerSecond(),
                        r.timing().minMs(), r.timing().peakRssBytes() / GIB));
            }
        }
        return sb.toString();
    }

    private String report(List<Outcome> outcomes, Instant started, double loadBefore, double loadAfter, boolean complete) {
        StringBuilder sb = new StringBuilder("# MQN speed and memory on this machine (mqn bench model)\n\n");
        if (!complete) {
            sb.append("(Partial: the benchmark is still running.)\n\n");
        }
        sb.append(String.format(Locale.ROOT, "Machine: %s. Started %s; load average %.2f at the start and %.2f at the end "
                        + "(with %d CPUs, a load above the benchmark's own %d thread(s) means other jobs shared the machine).%n%n",
                Machine.describe(), started, loadBefore, loadAfter, Runtime.getRuntime().availableProcessors(), threads));
        sb.append(String.format(Locale.ROOT, "Threads: ND4J %d (OMP_NUM_THREADS=%d in each worker JVM). DL4J/ND4J 1.0.0-M2.1, nd4j-native.%n%n",
                threads, threads));
        sb.append("Work: random weights, a fixed batch (normal-distributed images, product titles tokenised to the model's "
                + "title length, a rectangle as the target). `train` = AdamW steps of the trainer's path (AdamWStep: "
                + "SameDiff fit with Adam, the learning-rate schedule and decoupled weight decay), a timed run being "
                + stepsPerCall + " step(s) in one fit call (the trainer makes one call per checkpoint interval), its time divided by "
                + stepsPerCall + "; `infer` = the forward "
                + "pass of `probability` on the inference graph. images/s = batch / median time. " + String.format(Locale.ROOT,
                "Median of %d timed runs after %d untimed warm-up runs (the first training step builds the gradient graph), ", runs, warmup)
                + "a full GC (untimed) before every run. Peak RSS: VmHWM of the phase (JVM plus ND4J's off-heap buffers, "
                + "reset after the graph is built). Every (config, phase) runs in a fresh JVM, killed if its resident size "
                + "passes the limit (the memory available at its start less 1.5 GiB, unless --max-memory-gib) or after "
                + String.format(Locale.ROOT, "%.0f minutes.%n%n", maxMinutes));
        sb.append(table(outcomes)).append('\n');
        sb.append("Configurations:\n\n");
        for (Path c : outcomes.stream().map(Outcome::config).distinct().toList()) {
            MqnConfig m = MqnConfig.load(c);
            sb.append(String.format(Locale.ROOT, "- `%s`: %d px, Swin embed %d depths %s window %d, text encoder %d layers of width %d, "
                            + "title length %d, fusion at stages %s, decoder %d, variant %s%n", c, m.imageSize(), m.swin().embedDim(),
                    Arrays.toString(m.swin().depths()), m.swin().windowSize(), m.text().numHiddenLayers(), m.text().hiddenSize(),
                    m.maxTitleLength(), Arrays.toString(m.fusionStages()), m.decoderDim(), m.variant().key()));
        }
        sb.append("\nAll timed runs (ms):\n\n");
        for (Outcome o : outcomes) {
            if (o.result() != null) {
                sb.append(String.format(Locale.ROOT, "- %s %s batch %d: %s%n", o.config(), o.phase(), o.batch(),
                        Arrays.stream(o.result().timing().runsMs()).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v))
                                .collect(Collectors.joining(", "))));
            } else {
                sb.append(String.format(Locale.ROOT, "- %s %s batch %d: none (%s)%n", o.config(), o.phase(), o.batch(), o.error()));
            }
        }
        sb.append("\nCommand:\n\n```\n").append(commandLine()).append("\n```\n");
        return sb.toString();
    }

    String commandLine() {
        StringBuilder c = new StringBuilder("./mqn bench model");
        if (configs != null && !configs.isEmpty()) {
            c.append(" --config ").append(configs.stream().map(Path::toString).collect(Collectors.joining(",")));
        }
        if (batches != null) {
            c.append(" --batch ").append(batches.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (!phases.equals(List.of("infer", "train"))) {
            c.append(" --phases ").append(String.join(",", phases));
        }
        c.append(" --warmup ").append(warmup).append(" --runs ").append(runs).append(" --steps-per-call ").append(stepsPerCall).append(" --threads ").append(threads);
        if (maxMemoryGib != null) {
            c.append(" --max-memory-gib ").append(maxMemoryGib);
        }
        if (maxMinutes != 30) {
            c.append(" --max-minutes ").append(maxMinutes);
        }
        return c.append(" --out ").append(out).toString();
    }

    private void write(String text) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new MqnException("cannot create the directory of " + out + ": " + e.getMessage(), e);
        }
        GraphFile.writeAtomically(out, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
