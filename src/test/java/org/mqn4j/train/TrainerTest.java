package org.mqn4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.io.GraphFile;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    static final List<String> WEIGHTS = List.of("features.0.weight", "features.0.bias", "norm.weight",
            "embeddings.word_embeddings.weight", "layers.0.relative_position_bias_table");

    static TrainConfig config(int epochs) {
        return TrainConfig.builder().epochs(epochs).batchSize(4).learningRate(5e-2).weightDecay(1e-2).warmupSteps(3)
                .seed(42).dataThreads(1).build();
    }

    static Trainer.Result run(TrainConfig cfg, Path data, Path run, boolean resume, PrintStream out) {
        return new Trainer(cfg, new StandInModel(), data, run, BadRecordPolicy.FAIL, out, false).train(resume);
    }

    static void assertSameWeights(Path a, Path b) {
        SameDiff x = GraphFile.load(a, false);
        SameDiff y = GraphFile.load(b, false);
        for (String w : WEIGHTS) {
            INDArray d = x.getArrForVarName(w).sub(y.getArrForVarName(w));
            assertTrue(d.amaxNumber().doubleValue() <= 1e-6, w + " differs by " + d.amaxNumber());
        }
    }

    /**
     * Two epochs in one go against one epoch, then a resumed second epoch in a fresh Trainer: the same
     * weights and validation metrics (the stand-in has dropout, so the per-step reseeding matters);
     * the summary lines are on stdout and nothing else is.
     */
    @Test
    void resumedRunEndsWhereUninterruptedRunEnds(@TempDir Path dir) throws Exception {
        Path data = TinyData.write(dir.resolve("data"), 24, 8, 1);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        Trainer.Result a;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            a = run(config(2), data, dir.resolve("a"), false, System.out);
        } finally {
            System.setOut(stdout);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(2, printed.lines().count(), "stdout holds only the two summary lines:\n" + printed);
        assertTrue(printed.startsWith("epoch 1/2  loss "), printed);

        Trainer.Result b1 = run(config(1), data, dir.resolve("b"), false, null);
        assertEquals(1, b1.history().size());
        Trainer.Result b = run(config(2), data, dir.resolve("b"), true, null);
        assertEquals(a.steps(), b.steps());
        assertEquals(12, a.steps());
        assertEquals(a.history().size(), b.history().size());
        for (int e = 0; e < 2; e++) {
            assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss(), 1e-6, "epoch " + (e + 1) + " loss");
            assertEquals(a.history().get(e).valMeanIoU(), b.history().get(e).valMeanIoU(), 1e-9, "epoch " + (e + 1) + " mIoU");
        }
        assertEquals(a.finalMetrics().scores(), b.finalMetrics().scores());
        assertSameWeights(dir.resolve("a/final.sd"), dir.resolve("b/final.sd"));
        for (String f : List.of("metrics.json", "curves.png", "best.sd", "best.json", "final.json", "last.json", "run.json")) {
            assertTrue(Files.isRegularFile(dir.resolve("a").resolve(f)), f);
        }
        assertTrue(a.history().get(1).trainLoss() < a.history().get(0).trainLoss(), "loss falls: " + a.history());
    }

    /**
     * steps_per_call only changes how many steps share a SameDiff fit call: 1 per call, 4 per call (calls ending
     * inside and at epoch ends, beside a checkpoint every 5 steps) and the default end with the same losses and weights.
     */
    @Test
    void stepsPerCallDoesNotChangeTheRun(@TempDir Path dir) {
        Path data = TinyData.write(dir.resolve("data"), 24, 8, 1);
        Trainer.Result a = run(config(2), data, dir.resolve("a"), false, null);
        for (int k : new int[]{1, 4}) {
            Trainer.Result b = run(config(2).toBuilder().stepsPerCall(k).checkpointEvery(5).build(), data,
                    dir.resolve("k" + k), false, null);
            assertEquals(a.steps(), b.steps());
            for (int e = 0; e < 2; e++) {
                assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss(), 1e-7, k + " per call, epoch " + (e + 1));
            }
            assertSameWeights(dir.resolve("a/final.sd"), dir.resolve("k" + k + "/final.sd"));
        }
        assertThrows(IllegalArgumentException.class, () -> config(1).toBuilder().stepsPerCall(-1).build());
    }

    /**
     * A step budget: 24 images at batch 4 are 6 steps an epoch, so max_steps 8 ends in epoch 2 after 2 of its
     * steps (validated as a partial epoch); a run resumed from a 4-step budget with max_steps 8 ends with the
     * weights of the uninterrupted 8-step run (the budget is counted over the whole run).
     */
    @Test
    void stepBudgetStopsAtTheStepAndCountsAcrossResumes(@TempDir Path dir) {
        Path data = TinyData.write(dir.resolve("data"), 24, 4, 5);
        TrainConfig eight = config(5).toBuilder().maxSteps(8).build();
        Trainer.Result a = run(eight, data, dir.resolve("a"), false, null);
        assertEquals(8, a.steps());
        assertTrue(a.stoppedByBudget());
        assertEquals(2, a.history().size());
        assertTrue(a.history().get(0).complete() && !a.history().get(1).complete(), a.history().toString());
        assertEquals(2, a.history().get(1).steps());
        assertTrue(a.history().get(1).valMeanIoU() != null, "the partial epoch is validated");

        Trainer.Result b1 = run(config(5).toBuilder().maxSteps(4).build(), data, dir.resolve("b"), false, null);
        assertEquals(4, b1.steps());
        Trainer.Result b = run(eight, data, dir.resolve("b"), true, null);
        assertEquals(8, b.steps());
        assertSameWeights(dir.resolve("a/final.sd"), dir.resolve("b/final.sd"));
        Trainer.Result again = run(eight, data, dir.resolve("b"), true, null);
        assertEquals(8, again.steps(), "a resumed run that has taken its steps takes no more");
        assertSameWeights(dir.resolve("a/final.sd"), dir.resolve("b/final.sd"));
    }

    /** Under the poly schedule a step budget is the run's end: the rate of the last of 8 steps is base·(1 − 7/8)^0.9, not of 7/30. */
    @Test
    void polyScheduleEndsAtTheStepBudget(@TempDir Path dir) {
        Path data = TinyData.write(dir.resolve("data"), 24, 4, 6);
        TrainConfig poly = config(5).toBuilder().schedule(TrainConfig.Schedule.POLY).warmupSteps(0).maxSteps(8).build();
        Trainer.Result r = run(poly, data, dir.resolve("p"), false, null);
        assertEquals(5e-2 * Math.pow(1.0 / 8, 0.9), r.history().get(r.history().size() - 1).learningRate(), 1e-12);
    }

    /** A fresh run into a directory holding a run is refused; so is resuming with other settings. */
    @Test
    void refusesToOverwriteOrResumeWithOtherSettings(@TempDir Path dir) {
        Path data = TinyData.write(dir.resolve("data"), 8, 4, 2);
        run(config(1), data, dir.resolve("r"), false, null);
        MqnException again = assertThrows(MqnException.class, () -> run(config(2), data, dir.resolve("r"), false, null));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
        MqnException other = assertThrows(MqnException.class,
                () -> run(config(2).toBuilder().learningRate(1e-3).build(), data, dir.resolve("r"), true, null));
        assertTrue(other.getMessage().contains("refusing to resume") && other.getMessage().contains("run: learning_rate=0.05; now: learning_rate=0.001"),
                other.getMessage());
    }

    /** An absurd learning rate: the run stops with a clear message and the last checkpoint stays loadable. */
    @Test
    void nonFiniteLossStopsAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Path data = TinyData.write(dir.resolve("data"), 24, 4, 3);
        Path run = dir.resolve("r");
        TrainConfig cfg = config(3).toBuilder().learningRate(1e6).warmupSteps(0).checkpointEvery(1).build();
        MqnException e = assertThrows(MqnException.class, () -> run(cfg, data, run, false, null));
        assertTrue(e.getMessage().matches("(?s)the loss became (NaN|infinite) at epoch \\d+, step \\d+.*last good checkpoint.*"),
                e.getMessage());
        TrainerState s = Checkpoint.readState(run);
        SameDiff sd = Checkpoint.loadModel(run, s);   // size and CRC verified
        assertTrue(s.step() >= 1, "a checkpoint was written before the failure");
        for (double l : s.stepLosses()) {
            assertTrue(Double.isFinite(l), "checkpointed losses are finite: " + s.stepLosses());
        }
        assertTrue(sd.hasVariable("features.0.weight"));
    }

    /** A truncated checkpoint gives an MqnException naming the file, for --resume and for a plain load. */
    @Test
    void truncatedCheckpointIsAClearError(@TempDir Path dir) throws Exception {
        Path data = TinyData.write(dir.resolve("data"), 8, 4, 4);
        Path run = dir.resolve("r");
        run(config(1), data, run, false, null);
        Path model = run.resolve(Checkpoint.readState(run).modelFile());
        try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        MqnException e = assertThrows(MqnException.class, () -> run(config(2), data, run, true, null));
        assertTrue(e.getMessage().contains(model.toString()) && e.getMessage().contains("damaged"), e.getMessage());
        MqnException direct = assertThrows(MqnException.class, () -> GraphFile.load(model, true));
        assertTrue(direct.getMessage().contains(model.toString()), direct.getMessage());
        Path final_ = run.resolve("final.sd");
        try (RandomAccessFile f = new RandomAccessFile(final_.toFile(), "rw")) {
            f.setLength(100);
        }
        MqnException fin = assertThrows(MqnException.class, () -> GraphFile.load(final_, false));
        assertTrue(fin.getMessage().contains(final_.toString()), fin.getMessage());
        Files.writeString(run.resolve(Checkpoint.STATE), "{\"epoch\": 1, \"st");
        MqnException state = assertThrows(MqnException.class, () -> run(config(2), data, run, true, null));
        assertTrue(state.getMessage().contains("last.json") && state.getMessage().contains("damaged"), state.getMessage());
    }

    /** The stand-in model's "Swin" weights, features.0.weight and features.0.bias, as a pretrained file would hold them. */
    private static final INDArray SWIN_W = org.nd4j.linalg.factory.Nd4j.createFromArray(
            new float[]{0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f}).reshape(1, 1, 3, 2);
    private static final INDArray SWIN_B = org.nd4j.linalg.factory.Nd4j.createFromArray(0.05f, -0.05f);

    private static Path swinWeights(Path dir) {
        Path weights = dir.resolve("swin.safetensors");
        org.mqn4j.io.SafetensorsWriter.write(weights, java.util.Map.of("features.0.weight", SWIN_W, "features.0.bias", SWIN_B),
                java.util.Map.of());
        return weights;
    }

    /**
     * Pretrained "Swin" weights from safetensors, frozen: they reach the final model unchanged, while
     * the unfrozen weights train (and the frozen ones take no weight decay).
     */
    @Test
    void pretrainedFrozenWeightsStayFixed(@TempDir Path dir) {
        Path data = TinyData.write(dir.resolve("data"), 8, 4, 6);
        Path weights = swinWeights(dir);
        TrainConfig cfg = config(1).toBuilder().swinWeights(weights).freezeSwin(true).build();
        run(cfg, data, dir.resolve("r"), false, null);
        SameDiff fin = GraphFile.load(dir.resolve("r/final.sd"), false);
        assertEquals(SWIN_W, fin.getArrForVarName("features.0.weight"));
        assertEquals(SWIN_B, fin.getArrForVarName("features.0.bias"));
        SameDiff init = new StandInModel().build(false);
        double moved = fin.getArrForVarName("norm.weight").sub(init.getArrForVarName("norm.weight")).amaxNumber().doubleValue();
        assertTrue(moved > 1e-3, "unfrozen weights train: norm.weight moved " + moved);
    }

    /** freeze_swin_stages keeps the listed stages fixed (features.0, the patch embedding, is stage 1) and trains the rest. */
    @Test
    void freezeSwinStagesFreezesOnlyTheListedStages(@TempDir Path dir) {
        Path data = TinyData.write(dir.resolve("data"), 8, 4, 6);
        Path weights = swinWeights(dir);
        run(config(1).toBuilder().swinWeights(weights).freezeSwinStages(java.util.List.of(1)).build(), data, dir.resolve("s1"), false, null);
        assertEquals(SWIN_W, GraphFile.load(dir.resolve("s1/final.sd"), false).getArrForVarName("features.0.weight"));
        run(config(1).toBuilder().swinWeights(weights).freezeSwinStages(java.util.List.of(2, 3, 4)).build(), data, dir.resolve("s234"), false, null);
        double moved = GraphFile.load(dir.resolve("s234/final.sd"), false).getArrForVarName("features.0.weight").sub(SWIN_W)
                .amaxNumber().doubleValue();
        assertTrue(moved > 1e-3, "stage 1 is not listed, so it trains: features.0.weight moved " + moved);
    }
}
