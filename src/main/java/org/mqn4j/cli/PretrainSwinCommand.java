package org.mqn4j.cli;

import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.pretrain.SwinPretrainer;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mqn pretrain-swin}: scene-parsing pretraining of a config's Swin on generated product scenes. */
@Command(name = "pretrain-swin", mixinStandardHelpOptions = true,
        description = {"Pretrain the Swin backbone of a config (its model: section) on scene parsing: every cell of "
                + "every stage tells the category and colour of the product it shows, on product scenes generated on "
                + "the fly (none written; other seeds than any data set).",
                "Writes to --out: swin.safetensors (torchvision names; load it with train.swin_weights) and "
                        + "metrics.json, after every evaluation. Prints per-stage held-out accuracies."})
public final class PretrainSwinCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "YAML", description = "Model config, e.g. conf/mqn_tiny.yaml.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--steps", defaultValue = "6000", description = "Training steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch", defaultValue = "16", description = "Scenes per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate, poly decay to 0 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", defaultValue = "300", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights and the scenes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-every", defaultValue = "500", description = "Steps between evaluations and saves (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--eval-scenes", defaultValue = "200", description = "Held-out scenes (default: ${DEFAULT-VALUE}).")
    int evalScenes;

    @Option(names = "--minutes", defaultValue = "0", description = "Time budget of the training steps, 0 for none (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--init", paramLabel = "SAFETENSORS", description = "Start from this backbone (e.g. an earlier run's swin.safetensors; use another --seed for new scenes).")
    Path init;

    @Option(names = "--threads", defaultValue = "1", description = "ND4J threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        MqnConfig model = MqnConfig.load(config);
        SwinPretrainer.Settings s = new SwinPretrainer.Settings(steps, batch, lr, warmup, weightDecay, seed, evalEvery,
                evalScenes, minutes, init);
        List<SwinPretrainer.Evaluation> h = new SwinPretrainer(model.swin(), model.imageSize(), s, out, System.out).run();
        System.out.println("backbone: " + out.resolve("swin.safetensors") + " (" + h.get(h.size() - 1).step() + " steps)");
        return 0;
    }
}
