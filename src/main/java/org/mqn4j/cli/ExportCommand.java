package org.mqn4j.cli;

import org.mqn4j.serve.ExportedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mqn export}: a training run's weights to one file for serving ({@link ExportedModel}). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained model to one file for serving: inference graph with weights, tokenizer "
                + "vocabulary and preprocessing settings (zip: model.sd, vocab.txt, model.json).",
                "Load it in Java with MqnSegmenter.load(path), or use it with mqn eval / mqn predict --model."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "RUN|FILE",
            description = "A run directory (final.sd, else its last checkpoint) or a graph file of a run (e.g. RUN/best.sd).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The export file, e.g. model.mqn.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ExportedModel m = ModelSource.load(checkpoint);
        m.write(out);
        System.out.printf("exported %s (%d px, %d title tokens, variant %s) to %s (%.1f MB)%n", checkpoint,
                m.preprocessing().imageSize(), m.preprocessing().maxTitleLength(), m.config().variant().key(), out,
                Files.size(out) / 1e6);
        return 0;
    }
}
