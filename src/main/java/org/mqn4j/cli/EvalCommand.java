package org.mqn4j.cli;

import org.mqn4j.data.BadRecordException;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.eval.ModelEvaluation;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mqn eval}: a model's metrics on a split, through the serving path. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a split: the metric table at the model's input size (ground truth resized "
                + "with nearest neighbour), split by images with and without distractors, and at the original size.",
                "Writes metrics.json, table.md, samples.csv and overlays/ (best and worst samples) to --out; "
                        + "--save-masks writes <id>.png masks (0/255) at the ground truth's size for mqn score."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Export file, run directory or run graph file (.sd).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root.")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Split (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ./eval-<split>).")
    Path out;

    @Option(names = "--save-masks", paramLabel = "DIR", description = "Write predicted masks <id>.png at the ground truth's size.")
    Path saveMasks;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Images per graph run (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--overlays", defaultValue = "4", paramLabel = "K", description = "Overlays of the K best and K worst samples (default ${DEFAULT-VALUE}).")
    int overlays;

    @Option(names = "--skip-bad", description = "Skip (and count) unreadable records instead of stopping.")
    boolean skipBad;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new MqnException("--batch must be at least 1, got " + batch, null, 2);
        }
        Path dir = out != null ? out : Path.of("eval-" + split);
        MqnSegmenter seg = MqnSegmenter.of(ModelSource.load(model));
        ModelEvaluation.Result r;
        try {
            r = new ModelEvaluation(seg).run(data, split, new ModelEvaluation.Options(batch, dir, saveMasks, overlays,
                    skipBad ? BadRecordPolicy.SKIP : BadRecordPolicy.FAIL, !noProgress));
        } catch (BadRecordException e) {
            throw new MqnException(e.getMessage() + " (--skip-bad skips bad records)", e, e.exitCode());
        }
        if (r.samples().isEmpty()) {
            throw new MqnException("no record of " + split + " could be evaluated", null, 2);
        }
        System.out.print(r.table());
        if (!r.skipped().isEmpty()) {
            System.out.printf("skipped %d bad records (see the warnings above)%n", r.skipped().size());
        }
        System.out.println("results in " + dir + (saveMasks != null ? ", masks in " + saveMasks : ""));
        return 0;
    }
}
