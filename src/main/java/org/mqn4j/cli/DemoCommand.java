package org.mqn4j.cli;

import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.data.ContactSheet;
import org.mqn4j.data.DataChecker;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.eval.ModelEvaluation;
import org.mqn4j.eval.SegmentationMetrics;
import org.mqn4j.eval.TitleSwapCheck;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.serve.ExportedModel;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.train.EpochMetrics;
import org.mqn4j.train.MqnModel;
import org.mqn4j.train.TrainConfig;
import org.mqn4j.train.Trainer;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code mqn demo}: the main job on a small embedded default. Generates the synthetic task if it is
 * missing, checks it, trains the MQN of {@code conf/mqn_tiny.yaml} for a bounded time and, side by
 * side in a second JVM (one ND4J thread each, the two cores), the vision-only variant with the same
 * budget and seed; evaluates both on the test split, exports the MQN and writes {@code results/demo/}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: synthetic data (generated into --data if missing) -> check -> train the MQN and, "
                + "in parallel, the vision-only variant for --minutes each -> evaluate both on the test split -> export "
                + "the MQN -> results in --out (summary.md, metrics, curves, overlays, model.mqn)."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "conf/mqn_tiny.yaml", description = "Model and training config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--data", defaultValue = "data/demo", description = "Dataset root; generated when it holds no train.jsonl (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", defaultValue = "results/demo", description = "Results directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--minutes", description = "Training time of each model (default: the config's time_budget_minutes).")
    Double minutes;

    @Option(names = "--train", defaultValue = "4000", description = "Training images to generate (default: ${DEFAULT-VALUE}).")
    int trainCount;

    @Option(names = "--val", defaultValue = "200", description = "Validation images to generate (default: ${DEFAULT-VALUE}).")
    int valCount;

    @Option(names = "--test", defaultValue = "500", description = "Test images to generate (default: ${DEFAULT-VALUE}).")
    int testCount;

    @Option(names = "--seed", defaultValue = "0", description = "Dataset seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-baseline", description = "Skip the vision-only comparison.")
    boolean noBaseline;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        MqnConfig model = MqnConfig.load(config);
        TrainConfig train = TrainConfig.load(config);
        if (minutes != null) {
            train = train.toBuilder().timeBudgetMinutes(minutes).build();
        }
        if (train.timeBudgetMinutes() <= 0) {
            throw new MqnException("the demo needs a time budget: set --minutes or time_budget_minutes in " + config);
        }
        generateIfMissing(model.imageSize());
        checkData();
        model = MqnModel.measured(model, data, System.out);   // channel_means: train, once for both runs

        Path runs = out.resolve("runs");
        deleteRecursively(runs); // an earlier demo's runs: regenerated below
        Files.createDirectories(runs);
        Process baseline = noBaseline ? null : startBaseline(model, train, runs.resolve("vision_only"));

        step("training the MQN (%s, at most %.1f minutes; %s)", train.maxSteps() > 0 ? train.maxSteps() + " steps"
                : train.epochs() + " epochs", train.timeBudgetMinutes(), config);
        Path mqnRun = runs.resolve("mqn");
        Files.createDirectories(mqnRun);
        Files.writeString(mqnRun.resolve("config.yaml"), configYaml(model, train));
        Trainer.Result mqn = new Trainer(train, new MqnModel(model), data, mqnRun, BadRecordPolicy.FAIL, System.out, true)
                .train(false);

        if (baseline != null) {
            step("waiting for the vision-only run (log: %s)", runs.resolve("vision_only.log"));
            if (!baseline.waitFor((long) (train.timeBudgetMinutes() * 60 + 900), TimeUnit.SECONDS)) {
                baseline.destroyForcibly();
                throw new MqnException("the vision-only run did not finish; see " + runs.resolve("vision_only.log"));
            }
            if (baseline.exitValue() != 0) {
                throw new MqnException("the vision-only run failed (exit " + baseline.exitValue() + "); see "
                        + runs.resolve("vision_only.log"));
            }
        }

        step("evaluating on %s", data.resolve("test.jsonl"));
        ExportedModel exported = ModelSource.load(selected(mqnRun));
        ModelEvaluation.Result mqnEval = evaluate(exported, out.resolve("eval-mqn"), 8);
        ModelEvaluation.Result visionEval = baseline == null ? null
                : evaluate(ModelSource.load(selected(runs.resolve("vision_only"))), out.resolve("eval-vision_only"), 0);
        step("does the title steer the mask? %d generated scenes with distractors (generator seed %d)", STEER_SCENES, STEER_SEED);
        TitleSwapCheck.Result mqnSteer = SteerCommand.run(MqnSegmenter.of(exported), STEER_SCENES, STEER_SEED,
                model.imageSize(), 16, true);
        TitleSwapCheck.Result visionSteer = baseline == null ? null : SteerCommand.run(
                MqnSegmenter.of(ModelSource.load(selected(runs.resolve("vision_only")))), STEER_SCENES, STEER_SEED,
                model.imageSize(), 16, true);
        Path modelFile = out.resolve("model.mqn");
        exported.write(modelFile);
        Files.copy(mqnRun.resolve("curves.png"), out.resolve("curves.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        double totalMinutes = (System.nanoTime() - start) / 60e9;
        String summary = summary(mqn, mqnEval, visionEval, train, totalMinutes)
                + steerSection(mqnSteer, visionSteer);
        Files.writeString(out.resolve("summary.md"), summary);
        System.out.println();
        System.out.print(summary);
        System.out.println("results: " + out.resolve("summary.md") + ", model: " + modelFile
                + " (try: ./mqn predict --model " + modelFile + " --image IMG --title TITLE)");
        return 0;
    }

    static final int STEER_SCENES = 200;
    static final long STEER_SEED = 7;

    private static String steerSection(TitleSwapCheck.Result mqn, TitleSwapCheck.Result vision) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n## Does the title steer the mask?%n%n"
                + "`./mqn steer --model results/demo/model.mqn --scenes %d --seed %d`: new generated scenes with distractors, "
                + "each segmented with its own title and with a title that names one distractor by colour and category.%n%n"
                + "MQN:%n%n", STEER_SCENES, STEER_SEED));
        sb.append(mqn.table());
        if (vision != null) {
            sb.append(String.format(Locale.ROOT, "%nVision only (cannot read the title, so it cannot follow both requests):%n%n"))
                    .append(vision.table());
        }
        return sb.toString();
    }

    /** The weights of the best validation epoch (best.sd), else the final ones: model selection on val, never on test. */
    private static Path selected(Path run) {
        return VariantRun.selected(run);
    }

    private void generateIfMissing(int size) {
        if (Files.exists(data.resolve("train.jsonl"))) {
            step("using the dataset in %s", data);
            return;
        }
        step("generating the synthetic task into %s (%d train, %d val, %d test, %d px)", data, trainCount, valCount, testCount, size);
        Vocabulary vocab = Vocabulary.standard();
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("train", trainCount);
        counts.put("val", valCount);
        counts.put("test", testCount);
        System.setProperty("java.awt.headless", "true");
        SynthConfig sc = SynthConfig.builder().size(size).seed(seed).build();
        new SyntheticDatasetWriter(new SyntheticProducts(vocab, sc), Runtime.getRuntime().availableProcessors())
                .write(data, counts, false);
        new ContactSheet(vocab).write(data, data.resolve("contact-sheet.png"), 16);
    }

    private void checkData() {
        step("checking %s", data);
        DataChecker.Report report = new DataChecker(data, Runtime.getRuntime().availableProcessors())
                .check(List.of("train", "val", "test"), true);
        report.problems().stream().limit(20).forEach(p -> System.err.println(p));
        if (report.errors() > 0) {
            throw new MqnException(report.errors() + " errors in " + data + " (./mqn check-data --data " + data
                    + " lists them); fix or regenerate the data", null, 2);
        }
    }

    /** The vision-only variant with the same data, budget and seed, trained by `mqn train` in a second JVM. */
    private Process startBaseline(MqnConfig model, TrainConfig train, Path run) throws IOException {
        MqnConfig vision = model.toBuilder().variant(MqnConfig.Variant.VISION_ONLY).build();
        Path cfg = out.resolve("runs").resolve("vision_only.yaml");
        Files.writeString(cfg, configYaml(vision, train));
        Path log = out.resolve("runs").resolve("vision_only.log");
        step("training the vision-only variant alongside, in a second JVM (log: %s)", log);
        return new VariantRun(cfg, run, log).start(data, false);
    }

    /** The config file of a run: this model section and the train section of --config with the demo's budget. */
    private String configYaml(MqnConfig model, TrainConfig train) throws IOException {
        return VariantRun.configYaml(config, model, Map.of("time_budget_minutes", train.timeBudgetMinutes()));
    }

    private ModelEvaluation.Result evaluate(ExportedModel model, Path dir, int overlays) {
        return VariantRun.evaluate(model, data, dir, overlays);
    }

    private String summary(Trainer.Result mqn, ModelEvaluation.Result m, ModelEvaluation.Result v, TrainConfig train,
                           double totalMinutes) {
        StringBuilder sb = new StringBuilder("# mqn4j demo\n\n");
        EpochMetrics last = mqn.history().isEmpty() ? null : mqn.history().get(mqn.history().size() - 1);
        sb.append(String.format(Locale.ROOT, "Command: `./mqn demo` (config %s, data %s: %d train / %d val / %d test images "
                        + "generated with seed %d). Each model trained with the same budget (%s, a %.1f-minute cap) and one ND4J "
                        + "thread; %d MQN training steps%s. Total wall time %.1f minutes, %s.%n%n", config, data, count("train"),
                count("val"), count("test"), seed, train.maxSteps() > 0 ? train.maxSteps() + " steps" : train.epochs() + " epochs",
                train.timeBudgetMinutes(), mqn.steps(),
                last == null ? "" : String.format(Locale.ROOT, " at %.1f images/s in the last epoch", last.imagesPerSecond()),
                totalMinutes, java.time.LocalDate.now()));
        if (train.maxSteps() > 0 && mqn.steps() < train.maxSteps()) {
            sb.append(String.format(Locale.ROOT, "The %.1f-minute cap stopped the MQN after %d of its %d steps, before its "
                    + "learning rate had decayed: this machine trains it slower than the about 24 images/s the demo was sized "
                    + "for. `./mqn demo --minutes M` gives each model M minutes.%n%n", train.timeBudgetMinutes(), mqn.steps(),
                    train.maxSteps()));
        }
        sb.append("Machine: ").append(org.mqn4j.util.Machine.describe()).append(" (the same run ends in a somewhat "
                + "different model on a CPU with other vector extensions: results/shift.md).\n\n");
        sb.append(String.format(Locale.ROOT, "Both models are evaluated with the weights of their best validation epoch "
                + "(MQN: epoch %d, val mIoU %.2f).%n%n", mqn.bestEpoch(), mqn.bestMeanIoU()));
        sb.append("## MQN, test split\n\n").append(m.table()).append('\n');
        if (v != null) {
            sb.append("## Vision only (same budget and seed), test split\n\n").append(v.table()).append('\n');
            sb.append(String.format(Locale.ROOT, "mIoU with distractors: MQN %.2f, vision only %.2f; without distractors: "
                            + "MQN %.2f, vision only %.2f.%n%n", m.withDistractors().scores().meanIoU(),
                    v.withDistractors().scores().meanIoU(), m.withoutDistractors().scores().meanIoU(),
                    v.withoutDistractors().scores().meanIoU()));
            StringBuilder cues = new StringBuilder();
            m.byCue().forEach((cue, mm) -> {
                SegmentationMetrics vv = v.byCue().get(cue);
                if (vv != null) {
                    cues.append(String.format(Locale.ROOT, "%s %.2f against %.2f (n %d); ", cue.description(),
                            mm.scores().meanIoU(), vv.scores().meanIoU(), mm.scores().n()));
                }
            });
            if (!cues.isEmpty()) {
                sb.append("With distractors, by the title words that tell the target apart (MQN against vision only): ")
                        .append(cues, 0, cues.length() - 2).append(".\n\n");
            }
        }
        sb.append("Files: `curves.png` (loss and validation), `eval-mqn/` (metrics.json, samples.csv, overlays of the best and "
                + "worst samples), `eval-vision_only/`, `runs/` (metrics.json, config.yaml of each run), `model.mqn` "
                + "(the exported MQN; not committed).\n");
        return sb.toString();
    }

    private int count(String split) {
        try (Stream<String> lines = Files.lines(data.resolve(split + ".jsonl"))) {
            return (int) lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            return 0;
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
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
