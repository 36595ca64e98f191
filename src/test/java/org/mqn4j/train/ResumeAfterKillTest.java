package org.mqn4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.BadRecordPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run in a child JVM killed with SIGKILL in the middle of its second epoch, then resumed
 * in a fresh Trainer: it ends with the weights and metrics of an uninterrupted run.
 */
class ResumeAfterKillTest {
    static final int EPOCHS = 3;

    static TrainConfig config() {
        return TrainerTest.config(EPOCHS).toBuilder().checkpointEvery(3).build();
    }

    /** Child side: trains into args[1] on data args[0]. */
    public static void main(String[] args) {
        new Trainer(config(), new StandInModel(), Path.of(args[0]), Path.of(args[1]), BadRecordPolicy.FAIL, null, false)
                .train(false);
    }

    @Test
    void killedRunResumesToTheSameEnd(@TempDir Path dir) throws Exception {
        Path data = TinyData.write(dir.resolve("data"), 48, 8, 5);
        Path killed = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                ResumeAfterKillTest.class.getName(), data.toString(), killed.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long stepsPerEpoch = 48 / 4;
        TrainerState seen = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (child.isAlive() && System.nanoTime() < deadline) {
            try {
                TrainerState s = Files.exists(killed.resolve(Checkpoint.STATE)) ? Checkpoint.readState(killed) : null;
                if (s != null && s.epoch() >= 1 && s.batchInEpoch() >= 3) {
                    seen = s;
                    break;
                }
            } catch (RuntimeException e) {
                // a state file being replaced: read again
            }
            Thread.sleep(2);
        }
        child.destroyForcibly();   // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(seen != null, "the child never reached the middle of epoch 2 before ending:\n"
                + String.join("\n", Files.readAllLines(dir.resolve("child.log"))));
        TrainerState atKill = Checkpoint.readState(killed);
        assertTrue(atKill.step() < EPOCHS * stepsPerEpoch, "killed before the end, at step " + atKill.step());

        Trainer.Result resumed = new Trainer(config(), new StandInModel(), data, killed, BadRecordPolicy.FAIL, null, false)
                .train(true);
        Trainer.Result whole = new Trainer(config(), new StandInModel(), data, dir.resolve("whole"), BadRecordPolicy.FAIL,
                null, false).train(false);
        assertEquals(whole.steps(), resumed.steps());
        assertEquals(EPOCHS, resumed.history().size());
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(whole.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 1e-6, "epoch " + (e + 1));
            assertEquals(whole.history().get(e).valMeanIoU(), resumed.history().get(e).valMeanIoU(), 1e-9, "epoch " + (e + 1));
        }
        assertEquals(whole.finalMetrics().scores(), resumed.finalMetrics().scores());
        TrainerTest.assertSameWeights(dir.resolve("whole/final.sd"), killed.resolve("final.sd"));
        List<Double> a = Checkpoint.readState(dir.resolve("whole")).stepLosses();
        List<Double> b = Checkpoint.readState(killed).stepLosses();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), 1e-6, "step " + i);
        }
    }
}
