package org.mqn4j.cli;

import org.mqn4j.data.BadRecordException;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.eval.PredictionScorer;
import org.mqn4j.eval.SegmentationMetrics;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mqn score}: scores a folder of predicted masks with the paper's metrics. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score predicted masks <pred>/<id>.png against the ground truth of a split.",
                "Metrics: P@0.5, P@0.7, P@0.9, oIoU, mIoU (percent).",
                "Predictions of any size are resized to the ground truth with nearest neighbour and thresholded at 128.",
                "Prints the table and writes it as JSON (with per-sample I, U, IoU) to --json, by default to "
                + "<pred>-<split>-scores.json beside the prediction folder (not inside it)."})
public final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root.")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Split to score (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--pred", required = true, paramLabel = "DIR", description = "Folder of predicted masks <id>.png.")
    Path pred;

    @Option(names = "--json", paramLabel = "FILE", description = "Where to write the scores as JSON (default <pred>-<split>-scores.json).")
    Path json;

    @Option(names = "--size", defaultValue = "0", paramLabel = "S",
            description = "Score at S x S (both masks resized with nearest neighbour) instead of the ground truth's size.")
    int size;

    @Option(names = "--skip-bad", description = "Skip (and count) records with a missing or unreadable mask or prediction instead of stopping.")
    boolean skipBad;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        PredictionScorer.Result result;
        try {
            result = new PredictionScorer(data, split, pred, size, skipBad ? BadRecordPolicy.SKIP : BadRecordPolicy.FAIL)
                    .score(!noProgress);
        } catch (BadRecordException e) {
            throw new MqnException(e.getMessage() + " (--skip-bad skips bad records)", e, e.exitCode());
        }
        SegmentationMetrics m = result.metrics();
        if (m.samples().isEmpty()) {
            throw new MqnException("no record of " + split + " could be scored", null, 2);
        }
        System.out.print(m.table());
        if (!result.skipped().isEmpty()) {
            System.out.printf("skipped %d bad records (see the warnings above)%n", result.skipped().size());
        }
        Path out = json != null ? json : defaultJson(pred, split);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, m.toJsonString(true) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MqnException("cannot write scores to " + out + ": " + e.getMessage(), e);
        }
        System.err.println("scores written to " + out);
        return 0;
    }

    /** {@code <pred>-<split>-scores.json} beside the prediction folder. */
    static Path defaultJson(Path pred, String split) {
        Path abs = pred.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "pred" : abs.getFileName().toString();
        Path dir = abs.getParent() == null ? abs : abs.getParent();
        return dir.resolve(name + "-" + split + "-scores.json");
    }
}
