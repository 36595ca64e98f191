package org.mqn4j.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.data.MmpsBatch;
import org.mqn4j.data.MmpsBatchIterator;
import org.mqn4j.eval.Evaluator;
import org.mqn4j.eval.ModelInputs;
import org.mqn4j.eval.SegmentationMetrics;
import org.mqn4j.io.GraphFile;
import org.mqn4j.io.LoadReport;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.util.MqnException;
import org.mqn4j.util.Progress;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link ModelDefinition} on an MMPS dataset: one AdamW step per batch of the shuffled
 * train split, validation on the val split, checkpoints, metrics and curves in a run directory.
 *
 * <p>Run directory: {@code last-<step>.sd} + {@code last.json} (resumable checkpoint, see
 * {@link Checkpoint}), {@code best.sd} / {@code final.sd} (inference graphs of the best validated and
 * the final weights, with {@code .json} descriptions), {@code metrics.json}, {@code curves.png},
 * {@code run.json}.
 *
 * <p>Determinism, so that {@code resume} ends where an uninterrupted run ends: the data order of an
 * epoch is a function of (seed, epoch) ({@link MmpsBatchIterator}); ND4J's random generator is reseeded
 * before every step from (seed, step), so dropout and stochastic depth draw the same masks whether
 * or not the run was interrupted; the Adam state and iteration count are saved with the graph; the
 * learning rate is a function of the global step; a mid-epoch checkpoint records how many batches of
 * the epoch are done, and a resumed run skips them.
 */
public final class Trainer {
    private final TrainConfig cfg;
    private final ModelDefinition model;
    private final Path data;
    private final Path runDir;
    private final BadRecordPolicy policy;
    private final PrintStream out;
    private final boolean showProgress;

    /** What a run ended with. */
    public record Result(Path runDir, List<EpochMetrics> history, SegmentationMetrics finalMetrics, int bestEpoch,
                         double bestMeanIoU, long steps, boolean stoppedByBudget) {
    }

    /**
     * @param out          where the per-epoch summary lines go (the command's stdout), or null
     * @param showProgress draw a progress bar on stderr
     */
    public Trainer(TrainConfig cfg, ModelDefinition model, Path data, Path runDir, BadRecordPolicy policy,
                   PrintStream out, boolean showProgress) {
        this.cfg = cfg;
        this.model = model.forRun(data, runDir, out);
        this.data = data;
        this.runDir = runDir;
        this.policy = policy;
        this.out = out;
        this.showProgress = showProgress;
    }

    /** The configuration fingerprint a checkpoint must match to be resumed with these settings. */
    public String fingerprint() {
        return cfg.fingerprint() + " | model: " + model.description();
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trains from scratch, or continues the checkpoint in the run directory when {@code resume}. */
    public Result train(boolean resume) {
        Nd4j.getEnvironment().setMaxMasterThreads(cfg.threads());
        Nd4j.getEnvironment().setMaxThreads(cfg.threads());
        String fingerprint = fingerprint();
        String hash = hash(fingerprint);
        deleteTemporaryFiles();

        SameDiff sd;
        TrainerState state;
        if (resume) {
            state = Checkpoint.readState(runDir);
            if (!state.configHash().equals(hash)) {
                throw new MqnException("refusing to resume " + runDir + ": it was started with other settings ("
                        + difference(state.configFingerprint(), fingerprint) + ")");
            }
            sd = Checkpoint.loadModel(runDir, state);
            List<EpochMetrics> complete = state.history().stream().filter(EpochMetrics::complete).toList();
            state = new TrainerState(state.epoch(), state.batchInEpoch(), state.step(), state.learningRate(), state.seed(),
                    state.configFingerprint(), state.configHash(), state.epochLossSum(), state.epochImages(),
                    state.epochSeconds(), state.trainSeconds(), state.bestMeanIoU(), state.bestEpoch(), complete,
                    state.stepLosses().subList(0, (int) Math.min(state.step(), state.stepLosses().size())), null, 0, 0);
            System.err.printf(Locale.ROOT, "resuming %s at epoch %d, batch %d (step %d)%n", runDir, state.epoch() + 1,
                    state.batchInEpoch(), state.step());
        } else {
            if (Checkpoint.exists(runDir)) {
                throw new MqnException("run directory " + runDir + " already holds a run (" + Checkpoint.STATE
                        + "); pass --resume to continue it, or choose another --out");
            }
            sd = freshGraph();
            state = new TrainerState(0, 0, 0, 0, cfg.seed(), fingerprint, hash, 0, 0, 0, 0, -1, 0, List.of(), List.of(),
                    null, 0, 0);
            writeRunInfo(fingerprint, hash);
        }

        try (MmpsBatchIterator train = MmpsBatchIterator.builder(data, "train").size(model.imageSize())
                .batchSize(cfg.batchSize()).shuffle(cfg.seed()).augment(cfg.augment()).threads(cfg.dataThreads()).policy(policy)
                .build();
             MmpsBatchIterator val = Files.isRegularFile(data.resolve("val.jsonl"))
                     ? MmpsBatchIterator.builder(data, "val").size(model.imageSize()).batchSize(cfg.batchSize())
                     .threads(cfg.dataThreads()).policy(policy).build() : null) {
            if (train.recordCount() == 0) {
                throw new MqnException(data.resolve("train.jsonl") + " holds no usable record");
            }
            if (val == null) {
                System.err.println("warning: " + data.resolve("val.jsonl") + " does not exist: no validation, no best checkpoint");
            }
            long stepsPerEpoch = (train.recordCount() + cfg.batchSize() - 1) / cfg.batchSize();
            long horizon = stepsPerEpoch * cfg.epochs();   // where the poly schedule reaches 0: the run's end
            LearningRateSchedule schedule = LearningRateSchedule.of(cfg, cfg.maxSteps() > 0 ? Math.min(cfg.maxSteps(), horizon) : horizon);
            if (!resume) {
                sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(schedule))
                        .dataSetFeatureMapping(ModelInputs.featureNames(sd))
                        .dataSetLabelMapping(ModelInputs.labelNames(sd)).build());
            }
            return loop(sd, state, train, val, schedule, stepsPerEpoch);
        }
    }

    /** The words of two fingerprints that differ: {@code run: a=1 b=2, now: a=3 b=2} → {@code run a=1, now a=3}. */
    static String difference(String run, String now) {
        List<String> a = new ArrayList<>(List.of(run.split(" ")));
        List<String> b = new ArrayList<>(List.of(now.split(" ")));
        List<String> onlyRun = new ArrayList<>(a);
        onlyRun.removeAll(b);
        List<String> onlyNow = new ArrayList<>(b);
        onlyNow.removeAll(a);
        String r = String.join(" ", onlyRun);
        String n = String.join(" ", onlyNow);
        if (r.length() > 300) {
            r = r.substring(0, 300) + "...";
        }
        if (n.length() > 300) {
            n = n.substring(0, 300) + "...";
        }
        return "run: " + (r.isEmpty() ? "-" : r) + "; now: " + (n.isEmpty() ? "-" : n);
    }

    /** A new training graph with pretrained weights loaded and frozen parts made constants. */
    private SameDiff freshGraph() {
        SameDiff sd = model.build(true);
        if (cfg.swinWeights() != null) {
            LoadReport r = model.loadSwinWeights(sd, cfg.swinWeights());
            System.err.println("Swin weights: " + r.describe(5));
        }
        if (cfg.textWeights() != null) {
            LoadReport r = model.loadTextWeights(sd, cfg.textWeights());
            System.err.println("text weights: " + r.describe(5));
        }
        List<SDVariable> frozen = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE
                    && ((model.isSwinVariable(v.name()) && cfg.swinStageFrozen(ModelDefinition.swinStage(v.name())))
                        || (cfg.freezeText() && model.isTextVariable(v.name())))) {
                frozen.add(v);
            }
        }
        if (!frozen.isEmpty()) {
            sd.convertToConstants(frozen);
            System.err.printf("frozen: %d variables%n", frozen.size());
        }
        if (!cfg.augment().isNone()) {
            System.err.println("augment: " + cfg.augment().describe());
        }
        return sd;
    }

    /**
     * The steps of one epoch as {@link AdamWStep.Steps}: feeds the epoch's batches and keeps the running
     * sums, and ends the current fit call when the epoch ends, a checkpoint is due, the budget is spent,
     * a loss is not finite or the call has run {@code steps_per_call} steps.
     */
    private final class EpochSteps implements AdamWStep.Steps {
        private final SameDiff sd;
        private final MmpsBatchIterator train;
        private final BertTokenizer tokenizer;
        private final LearningRateSchedule schedule;
        private final Progress bar;
        private final long budgetNanos;
        private final long sessionStart;
        private final int epoch;
        private final List<Double> stepLosses;
        private final long t0 = System.nanoTime();
        private final long imagesBefore;
        private int batchSize;
        private int inCall;
        long step;
        int batchInEpoch;
        double lossSum;
        long images;
        double lr;
        boolean stopped;
        boolean checkpointDue;
        Double badLoss;

        EpochSteps(SameDiff sd, MmpsBatchIterator train, BertTokenizer tokenizer, LearningRateSchedule schedule, Progress bar,
                   long budgetNanos, long sessionStart, int epoch, long step, int batchInEpoch, double lossSum, long images,
                   List<Double> stepLosses) {
            this.sd = sd;
            this.train = train;
            this.tokenizer = tokenizer;
            this.schedule = schedule;
            this.bar = bar;
            this.budgetNanos = budgetNanos;
            this.sessionStart = sessionStart;
            this.epoch = epoch;
            this.step = step;
            this.batchInEpoch = batchInEpoch;
            this.lossSum = lossSum;
            this.images = images;
            this.imagesBefore = images;
            this.stepLosses = stepLosses;
        }

        @Override
        public Map<String, INDArray> next(long s) {
            if (badLoss != null || checkpointDue || stopped || !train.hasNext()
                    || (cfg.stepsPerCall() > 0 && inCall >= cfg.stepsPerCall())) {
                inCall = 0;
                return null;
            }
            inCall++;
            MmpsBatch b = train.next();
            batchSize = b.size();
            lr = schedule.at(s);
            return ModelInputs.training(sd, b, tokenizer);
        }

        @Override
        public void done(long s, double loss) {
            if (!Double.isFinite(loss)) {
                badLoss = loss;
                return;
            }
            step = s + 1;
            batchInEpoch++;
            lossSum += loss;
            images += batchSize;
            stepLosses.add(loss);
            if (bar != null) {
                double secs = (System.nanoTime() - t0) / 1e9;
                bar.status(String.format(Locale.ROOT, "loss %.4f lr %.2e %.1f img/s", lossSum / batchInEpoch, lr,
                        (images - imagesBefore) / Math.max(1e-9, secs))).step();
            }
            boolean stepsOver = cfg.maxSteps() > 0 && step >= cfg.maxSteps();
            boolean budgetOver = stepsOver || budgetNanos > 0 && System.nanoTime() - sessionStart > budgetNanos;
            if (budgetOver) {
                stopped = true;   // at an epoch end the epoch finishes normally
                if (train.hasNext()) {
                    System.err.printf(Locale.ROOT, stepsOver ? "step budget of %2$d steps reached in epoch %3$d: stopping%n"
                            : "time budget of %1$.1f minutes reached in epoch %3$d: stopping%n",
                            cfg.timeBudgetMinutes(), cfg.maxSteps(), epoch + 1);
                }
            } else if (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0 && train.hasNext()) {
                checkpointDue = true;
            }
        }
    }

    private Result loop(SameDiff sd, TrainerState start, MmpsBatchIterator train, MmpsBatchIterator val,
                        LearningRateSchedule schedule, long stepsPerEpoch) {
        AdamWStep optimiser = new AdamWStep(sd, schedule, cfg.weightDecay(), cfg.seed());
        SameDiff inference = model.build(false);
        BertTokenizer tokenizer = BertTokenizer.builder().vocab(model.vocab()).maxLength(model.maxLength()).build();

        int epoch = start.epoch();
        int batchInEpoch = start.batchInEpoch();
        long step = start.step();
        double lossSum = start.epochLossSum();
        long images = start.epochImages();
        double epochSeconds = start.epochSeconds();
        double trainSeconds = start.trainSeconds();
        double best = start.bestMeanIoU();
        int bestEpoch = start.bestEpoch();
        double lr = start.learningRate();
        List<EpochMetrics> history = new ArrayList<>(start.history());
        List<Double> stepLosses = new ArrayList<>(start.stepLosses());
        long budgetNanos = (long) (cfg.timeBudgetMinutes() * 60e9);
        long sessionStart = System.nanoTime();
        boolean stopped = false;
        SegmentationMetrics last = null;

        while (epoch < cfg.epochs() && !stopped) {
            if (cfg.maxSteps() > 0 && step >= cfg.maxSteps()) {
                break;   // resumed after its last step (killed before final.sd was written)
            }
            train.reset(epoch);
            for (int i = 0; i < batchInEpoch && train.hasNext(); i++) {
                train.next();   // batches done before the interruption
            }
            String label = String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, cfg.epochs());
            Progress bar = showProgress ? new Progress(label, stepsPerEpoch) : null;
            if (bar != null && batchInEpoch > 0) {
                bar.advance(batchInEpoch);
            }
            long t0 = System.nanoTime();
            double secondsBefore = epochSeconds;
            EpochSteps run = new EpochSteps(sd, train, tokenizer, schedule, bar, budgetNanos, sessionStart, epoch, step,
                    batchInEpoch, lossSum, images, stepLosses);
            while (true) {
                optimiser.run(run, run.step);   // one fit call until the epoch ends, a checkpoint is due, steps_per_call or a stop
                step = run.step;
                batchInEpoch = run.batchInEpoch;
                lossSum = run.lossSum;
                images = run.images;
                lr = run.lr;
                stopped = run.stopped;
                if (run.badLoss != null) {
                    if (bar != null) {
                        bar.close();
                    }
                    writeOutputs(history, stepLosses, best, bestEpoch, last);
                    double loss = run.badLoss;
                    throw new MqnException(String.format(Locale.ROOT,
                            "the loss became %s at epoch %d, step %d (learning rate %.3g): training stopped. %s",
                            Double.isNaN(loss) ? "NaN" : "infinite", epoch + 1, step + 1, lr,
                            Checkpoint.exists(runDir) ? "The last good checkpoint " + runDir.resolve(Checkpoint.STATE)
                                    + " is kept; lower learning_rate or add warmup_steps." : "No checkpoint was written yet."));
                }
                if (run.checkpointDue) {
                    run.checkpointDue = false;
                    epochSeconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
                    Checkpoint.save(runDir, sd, new TrainerState(epoch, batchInEpoch, step, lr, cfg.seed(), start.configFingerprint(),
                            start.configHash(), lossSum, images, epochSeconds, trainSeconds + epochSeconds - secondsBefore,
                            best, bestEpoch, history, stepLosses, null, 0, 0));
                }
                if (stopped || !train.hasNext()) {
                    break;
                }
            }
            if (bar != null) {
                bar.close();
            }
            epochSeconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
            trainSeconds += epochSeconds - secondsBefore;
            boolean complete = !train.hasNext();
            boolean validate = val != null && (stopped || epoch + 1 == cfg.epochs() || (epoch + 1) % cfg.validateEvery() == 0);
            SegmentationMetrics.Scores scores = null;
            if (validate) {
                copyWeights(sd, inference);
                val.reset(0);
                Progress vbar = showProgress ? new Progress("validate", val.recordCount()) : null;
                last = Evaluator.evaluate(inference, val, tokenizer, vbar);
                if (vbar != null) {
                    vbar.close();
                }
                scores = last.scores();
            }
            EpochMetrics em = new EpochMetrics(epoch + 1, complete, batchInEpoch, batchInEpoch == 0 ? Double.NaN : lossSum / batchInEpoch,
                    lr, epochSeconds, images / Math.max(1e-9, epochSeconds),
                    scores == null ? null : scores.meanIoU(), scores == null ? null : scores.overallIoU(),
                    scores == null ? null : scores.precisionAt50(), scores == null ? null : scores.precisionAt70(),
                    scores == null ? null : scores.precisionAt90());
            history.add(em);
            boolean isBest = scores != null && scores.meanIoU() > best;
            if (isBest) {
                best = scores.meanIoU();
                bestEpoch = epoch + 1;
                saveInference(inference, "best", em);
            }
            summary(em, isBest);
            if (complete) {
                epoch++;
                batchInEpoch = 0;
                lossSum = 0;
                images = 0;
                epochSeconds = 0;
            }
            // an incomplete epoch's entry is dropped on resume, which continues the epoch from its running sums
            Checkpoint.save(runDir, sd, new TrainerState(epoch, batchInEpoch, step, lr, cfg.seed(), start.configFingerprint(),
                    start.configHash(), lossSum, images, epochSeconds, trainSeconds, best, bestEpoch, history, stepLosses,
                    null, 0, 0));
            writeOutputs(history, stepLosses, best, bestEpoch, last);
        }
        copyWeights(sd, inference);
        saveInference(inference, "final", history.isEmpty() ? null : history.get(history.size() - 1));
        writeOutputs(history, stepLosses, best, bestEpoch, last);
        return new Result(runDir, List.copyOf(history), last, bestEpoch, best, step, stopped);
    }

    /** Copies every trainable array of the inference graph from the training graph (variable or frozen constant). */
    static void copyWeights(SameDiff from, SameDiff to) {
        for (SDVariable v : to.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            INDArray src = from.getArrForVarName(v.name());
            if (src == null) {
                throw new IllegalStateException("the training graph has no variable " + v.name());
            }
            v.getArr().assign(src);
        }
    }

    private void saveInference(SameDiff inference, String name, EpochMetrics at) {
        GraphFile.save(inference, runDir.resolve(name + ".sd"), false);
        ObjectNode info = Checkpoint.json().createObjectNode();
        info.put("model_file", name + ".sd");
        info.put("model", model.description());
        info.put("image_size", model.imageSize());
        info.put("max_length", model.maxLength());
        ArrayNode outs = info.putArray("outputs");
        outs.add(ModelInputs.LOGITS).add(ModelInputs.PROBABILITY);
        if (at != null) {
            info.set("epoch", Checkpoint.json().valueToTree(at));
        }
        Checkpoint.writeJson(runDir.resolve(name + ".json"), info);
    }

    private void summary(EpochMetrics e, boolean best) {
        if (out == null) {
            return;
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d%s  loss %.4f", e.epoch(), cfg.epochs(),
                e.complete() ? "" : " (partial)", e.trainLoss()));
        if (e.valMeanIoU() != null) {
            s.append(String.format(Locale.ROOT, "  val mIoU %.2f  oIoU %.2f  P@0.5 %.2f", e.valMeanIoU(), e.valOverallIoU(),
                    e.valPrecisionAt50()));
        }
        s.append(String.format(Locale.ROOT, "  %.1f s  %.1f img/s%s", e.seconds(), e.imagesPerSecond(), best ? "  (best)" : ""));
        out.println(s);
        out.flush();
    }

    private void writeOutputs(List<EpochMetrics> history, List<Double> stepLosses, double best, int bestEpoch,
                              SegmentationMetrics last) {
        ObjectNode m = Checkpoint.json().createObjectNode();
        m.put("config", cfg.fingerprint());
        m.put("model", model.description());
        m.set("epochs", Checkpoint.json().valueToTree(history));
        if (bestEpoch > 0) {
            m.putObject("best").put("epoch", bestEpoch).put("val_mIoU", best);
        }
        if (last != null) {
            m.set("last_validation", last.toJson(false));
        }
        Checkpoint.writeJson(runDir.resolve("metrics.json"), m);
        TrainingPlot.write(runDir.resolve("curves.png"), history, stepLosses);
    }

    private void writeRunInfo(String fingerprint, String hash) {
        ObjectNode info = Checkpoint.json().createObjectNode();
        info.put("config", fingerprint);
        info.put("config_hash", hash);
        info.put("data", data.toAbsolutePath().toString());
        info.put("started", java.time.Instant.now().toString());
        Checkpoint.writeJson(runDir.resolve("run.json"), info);
    }

    private void deleteTemporaryFiles() {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(runDir, "*.tmp")) {
            for (Path p : tmp) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new MqnException("cannot clean " + runDir + ": " + e.getMessage(), e);
        }
    }
}
