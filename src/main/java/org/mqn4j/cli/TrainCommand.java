package org.mqn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.data.BadRecordException;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.train.MqnModel;
import org.mqn4j.train.TrainConfig;
import org.mqn4j.train.Trainer;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code mqn train}: trains the network of a config on an MMPS dataset. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the Mutual Query Network of a config (its model: and train: sections) on an MMPS dataset.",
                "Writes to the run directory: checkpoints (last-*.sd + last.json, resumable), best.sd and final.sd "
                        + "(inference graphs), metrics.json, curves.png, config.yaml.",
                "Prints one summary line per epoch and the final validation table on stdout; progress on stderr."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "YAML", description = "Model and training config, e.g. conf/mqn_tiny.yaml.")
    Path config;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root with train.jsonl (and val.jsonl for validation).")
    Path data;

    @Option(names = "--out", paramLabel = "RUN", description = "Run directory (default runs/<config>-<date-time>).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (the same settings are required).")
    boolean resume;

    @Option(names = "--skip-bad", description = "Skip (and count) unreadable records instead of stopping.")
    boolean skipBad;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    /**
     * A vocab.txt named by the config goes into the run as {@code vocab.txt}, and the run's config.yaml
     * names that copy, so the run directory stays self-contained (a relative path would not resolve there).
     */
    static void copyVocabFile(MqnConfig modelConfig, Path run) throws IOException {
        String v = modelConfig.vocab();
        if (v.equals(MqnConfig.DEFAULT_VOCAB) || v.equals(MqnConfig.COMMON_VOCAB)) {
            return;
        }
        Files.copy(Path.of(v), run.resolve("vocab.txt"), StandardCopyOption.REPLACE_EXISTING);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Path cfg = run.resolve("config.yaml");
        ObjectNode root = (ObjectNode) yaml.readTree(cfg.toFile());
        ((ObjectNode) root.get("model")).put("vocab", "vocab.txt");
        yaml.writeValue(cfg.toFile(), root);
    }

    @Override
    public Integer call() {
        if (resume && out == null) {
            throw new MqnException("--resume needs --out RUN, the run directory to continue", null, 2);
        }
        MqnConfig modelConfig = MqnConfig.load(config);
        TrainConfig trainConfig = TrainConfig.load(config);
        Path run = out != null ? out : defaultRunDir(config);
        try {
            Files.createDirectories(run);
            if (!resume) {
                Files.copy(config, run.resolve("config.yaml"), StandardCopyOption.REPLACE_EXISTING);
                copyVocabFile(modelConfig, run);
            }
        } catch (IOException e) {
            throw new MqnException("cannot create run directory " + run + ": " + e.getMessage(), e);
        }
        System.out.println("run directory: " + run);
        Trainer.Result r;
        try {
            r = new Trainer(trainConfig, new MqnModel(modelConfig), data, run,
                    skipBad ? BadRecordPolicy.SKIP : BadRecordPolicy.FAIL, System.out, !noProgress).train(resume);
        } catch (BadRecordException e) {
            throw new MqnException(e.getMessage() + " (--skip-bad skips bad records)", e, e.exitCode());
        }
        if (r.stoppedByBudget()) {
            System.out.printf("stopped by the %s budget after %d steps%n",
                    trainConfig.maxSteps() > 0 && r.steps() >= trainConfig.maxSteps() ? "step" : "time", r.steps());
        }
        if (r.finalMetrics() != null) {
            System.out.println("validation (" + data.resolve("val.jsonl") + "), final weights:");
            System.out.print(r.finalMetrics().table());
            if (r.bestEpoch() > 0) {
                System.out.printf("best val mIoU %.2f at epoch %d (%s)%n", r.bestMeanIoU(), r.bestEpoch(), run.resolve("best.sd"));
            }
        }
        System.out.println("final model: " + run.resolve("final.sd"));
        return 0;
    }

    static Path defaultRunDir(Path config) {
        String name = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return Path.of("runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
