package org.mqn4j.eval;

import org.mqn4j.data.BadImageException;
import org.mqn4j.data.BadRecordException;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.data.BinaryMask;
import org.mqn4j.data.DataProblem;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.data.MmpsSplitFile;
import org.mqn4j.data.Resize;
import org.mqn4j.util.MqnException;
import org.mqn4j.util.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a folder of predicted masks ({@code <pred>/<id>.png}, any size, thresholded at 128 like
 * ground-truth masks) against a split's ground truth. Each prediction is resized to its ground
 * truth's size with nearest neighbour; with a positive {@code size} both are instead resized to
 * {@code size x size} (MQN.md section 7: scoring at the model's input resolution). Records whose
 * ground truth or prediction is missing or unreadable follow the {@link BadRecordPolicy}.
 */
public final class PredictionScorer {
    private static final Logger log = LoggerFactory.getLogger(PredictionScorer.class);
    /** Skipped records logged one by one; beyond this only counted. */
    static final int MAX_LOGGED = 20;

    private final Path root;
    private final String split;
    private final Path predDir;
    private final int size;
    private final BadRecordPolicy policy;

    /** What scoring found: the metrics and the records skipped (policy SKIP). */
    public record Result(SegmentationMetrics metrics, List<DataProblem> skipped) {
    }

    /**
     * @param size 0 to score at each ground truth's own size, or the size S to score at S x S
     */
    public PredictionScorer(Path root, String split, Path predDir, int size, BadRecordPolicy policy) {
        this.root = root;
        this.split = split;
        this.predDir = predDir;
        this.size = size;
        this.policy = policy;
    }

    public Result score(boolean progress) {
        if (!Files.isDirectory(predDir)) {
            throw new MqnException("prediction directory not found: " + predDir);
        }
        MmpsSplitFile file = MmpsSplitFile.read(root, split);
        List<DataProblem> skipped = new ArrayList<>();
        for (DataProblem p : file.problems()) {
            if (p.isError()) {
                skip(new BadRecordException(p), skipped);
            }
        }
        SegmentationMetrics metrics = new SegmentationMetrics();
        try (Progress bar = progress ? new Progress("score", file.records().size()) : null) {
            for (MmpsRecord r : file.records()) {
                try {
                    BinaryMask gt = read(r, r.mask(), "ground-truth mask");
                    BinaryMask pred = read(r, predDir.resolve(r.id() + ".png"), "prediction");
                    if (size > 0) {
                        gt = Resize.nearest(gt, size, size);
                        pred = Resize.nearest(pred, size, size);
                    } else {
                        pred = Resize.nearest(pred, gt.height(), gt.width());
                    }
                    metrics.add(r.id(), pred, gt);
                } catch (BadRecordException e) {
                    skip(e, skipped);
                }
                if (bar != null) {
                    bar.step();
                }
            }
        }
        return new Result(metrics, List.copyOf(skipped));
    }

    private BinaryMask read(MmpsRecord r, Path file, String what) {
        try {
            return ImageDecoder.readMask(file);
        } catch (BadImageException e) {
            String msg = "missing".equals(e.kind()) ? "missing " + what + " " + file
                    : e.kind() + " " + what + " " + file + " (" + e.detail() + ")";
            throw new BadRecordException(DataProblem.error(r, msg), e);
        }
    }

    private void skip(BadRecordException e, List<DataProblem> skipped) {
        if (policy == BadRecordPolicy.FAIL) {
            throw e;
        }
        skipped.add(e.problem());
        if (skipped.size() <= MAX_LOGGED) {
            log.warn("skipping {}", e.problem());
        } else if (skipped.size() == MAX_LOGGED + 1) {
            log.warn("skipping more bad records; only their number is reported from here on");
        }
    }
}
