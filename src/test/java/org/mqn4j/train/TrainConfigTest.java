package org.mqn4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {

    @Test
    void readsTheTrainSection(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.yaml");
        Files.writeString(f, """
                model:
                  image_size: 96
                train:
                  epochs: 3
                  batch_size: 16
                  learning_rate: 5e-5
                  weight_decay: 0.0
                  schedule: poly
                  power: 0.8
                  warmup_steps: 10
                  seed: 7
                  time_budget_minutes: 1.5
                  freeze_swin: true
                  swin_weights: weights/swin.safetensors
                  validate_every: 2
                  checkpoint_every: 50
                  threads: 2
                  max_steps: 300
                """);
        TrainConfig c = TrainConfig.load(f);
        assertEquals(TrainConfig.builder().epochs(3).batchSize(16).learningRate(5e-5).weightDecay(0).schedule(TrainConfig.Schedule.POLY)
                .power(0.8).warmupSteps(10).seed(7).timeBudgetMinutes(1.5).freezeSwin(true)
                .swinWeights(Path.of("weights/swin.safetensors")).validateEvery(2).checkpointEvery(50).threads(2).maxSteps(300).build(), c);
        assertNull(c.textWeights());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void defaultsAndTheProjectConfig() {
        TrainConfig d = TrainConfig.builder().build();
        assertEquals(5e-5, d.learningRate());
        assertEquals(1e-2, d.weightDecay());
        assertEquals(1, d.threads());
        TrainConfig tiny = TrainConfig.load(Path.of("conf/mqn_tiny.yaml"));
        assertEquals(2e-3, tiny.learningRate());
        assertEquals(TrainConfig.Schedule.POLY, tiny.schedule());
        assertEquals(4, tiny.epochs());
        assertEquals(1600, tiny.maxSteps());
        assertTrue(tiny.freezeSwin());
        assertEquals(12, tiny.timeBudgetMinutes());
    }

    @Test
    void badInputIsAClearError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "train:\n  learning_rat: 0.1\n");
        MqnException typo = assertThrows(MqnException.class, () -> TrainConfig.load(f));
        assertTrue(typo.getMessage().contains("train.learning_rat") && typo.getMessage().contains(f.toString()), typo.getMessage());
        Files.writeString(f, "train:\n  batch_size: 0\n");
        MqnException zero = assertThrows(MqnException.class, () -> TrainConfig.load(f));
        assertTrue(zero.getMessage().contains("batch_size must be at least 1"), zero.getMessage());
        Files.writeString(f, "train:\n  schedule: cosine\n");
        assertTrue(assertThrows(MqnException.class, () -> TrainConfig.load(f)).getMessage().contains("constant or poly"));
        Files.writeString(f, "model: {}\n");
        assertTrue(assertThrows(MqnException.class, () -> TrainConfig.load(f)).getMessage().contains("no 'train:' section"));
    }

    /** Settings that change the trajectory change the fingerprint; epochs only under poly. */
    @Test
    void fingerprint() {
        TrainConfig c = TrainConfig.builder().build();
        assertEquals(c.fingerprint(), c.toBuilder().epochs(99).timeBudgetMinutes(3).threads(2).maxSteps(5).build().fingerprint());
        assertTrue(!c.fingerprint().equals(c.toBuilder().seed(1).build().fingerprint()));
        TrainConfig poly = c.toBuilder().schedule(TrainConfig.Schedule.POLY).build();
        assertTrue(!poly.fingerprint().equals(poly.toBuilder().epochs(99).build().fingerprint()));
        assertTrue(!poly.fingerprint().equals(poly.toBuilder().maxSteps(99).build().fingerprint()), "max_steps ends the poly schedule");
    }
}
