package org.mqn4j.cli;

import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.pretrain.PretrainConfig;
import org.mqn4j.pretrain.PretrainMetrics;
import org.mqn4j.pretrain.TextPretrainer;
import org.mqn4j.pretrain.TitleCorpus;
import org.mqn4j.pretrain.TitleRecord;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mqn pretrain-text}: domain pretraining of the MQN's text encoder on product titles. */
@Command(name = "pretrain-text", mixinStandardHelpOptions = true,
        description = {"Pretrain the text encoder of a config (its model: section; settings in pretrain:) on a corpus "
                + "of product titles with whole-word masked LM, attribute-value and category prediction.",
                "Writes to the run directory: text_encoder.safetensors (load it with train.text_weights), "
                        + "heads.safetensors, labels.json, metrics.json, curves.png, config.yaml.",
                "Prints the held-out accuracies and their baselines at each evaluation on stdout; progress on stderr."})
public final class PretrainTextCommand implements Callable<Integer> {
    @Option(names = "--corpus", required = true, paramLabel = "FILE",
            description = "Titles, one per line: plain text or JSON {\"title\", \"attributes\", \"category\"} (see `mqn synth-corpus`).")
    Path corpus;

    @Option(names = "--config", required = true, paramLabel = "YAML", description = "Model and pretraining config, e.g. conf/pretrain_tiny.yaml.")
    Path config;

    @Option(names = "--out", paramLabel = "RUN", description = "Run directory (default runs/<config>-<date-time>).")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        MqnConfig model = MqnConfig.load(config);
        PretrainConfig cfg = PretrainConfig.load(config);
        List<TitleRecord> records = TitleCorpus.read(corpus);
        Path run = out != null ? out : TrainCommand.defaultRunDir(config);
        try {
            Files.createDirectories(run);
            if (!Files.exists(run.resolve("metrics.json"))) {
                Files.copy(config, run.resolve("config.yaml"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new MqnException("cannot create run directory " + run + ": " + e.getMessage(), e);
        }
        System.out.println("run directory: " + run);
        TextPretrainer.Result r = new TextPretrainer(model, cfg, records, run, System.out, !noProgress).run();
        PretrainMetrics first = r.history().get(0);
        PretrainMetrics last = r.last();
        System.out.printf(Locale.ROOT, "%d steps in %.1f s%s%n", r.steps(), r.seconds(),
                r.stoppedByBudget() ? " (stopped by the time budget)" : "");
        System.out.println("before: " + first.summary());
        System.out.println("after:  " + last.summary());
        System.out.println("text encoder: " + run.resolve(TextPretrainer.ENCODER_FILE));
        return 0;
    }
}
