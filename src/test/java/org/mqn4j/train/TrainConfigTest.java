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
        assertEquals(2000, tiny.maxSteps());
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

    @Test
    void freezeSwinStages(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "train:\n  freeze_swin_stages: [2, 1]\n");
        TrainConfig c = TrainConfig.load(f);
        assertEquals(java.util.List.of(1, 2), c.freezeSwinStages());
        assertTrue(c.swinStageFrozen(1) && c.swinStageFrozen(2) && !c.swinStageFrozen(3) && !c.swinStageFrozen(4));
        assertTrue(c.fingerprint().contains("freeze_swin_stages=[1, 2]"), c.fingerprint());
        assertEquals(c, c.toBuilder().build());
        TrainConfig all = TrainConfig.builder().freezeSwin(true).build();
        assertTrue(all.swinStageFrozen(1) && all.swinStageFrozen(4));
        assertTrue(!TrainConfig.builder().build().swinStageFrozen(1));
        Files.writeString(f, "train:\n  freeze_swin_stages: [0, 5]\n");
        assertTrue(assertThrows(MqnException.class, () -> TrainConfig.load(f)).getMessage().contains("stages 1 to 4"));
        Files.writeString(f, "train:\n  freeze_swin: true\n  freeze_swin_stages: [1]\n");
        assertTrue(assertThrows(MqnException.class, () -> TrainConfig.load(f)).getMessage().contains("not both"));
        Files.writeString(f, "train:\n  freeze_swin_stages: 1\n");
        assertTrue(assertThrows(MqnException.class, () -> TrainConfig.load(f)).getMessage().contains("list of integers"));
    }

    @Test
    void augmentSection(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainConfig.load(Path.of("conf/mqn_tiny_augment.yaml"));
        assertEquals(org.mqn4j.data.Augmentation.builder().flip(true).brightness(0.2).contrast(0.2).saturation(0.2)
                .colorCast(0.05).lighting(0.2).occlusion(0.25).noise(4).build(), c.augment(),
                "the strengths AugmentationTest checks (CONF)");
        assertTrue(c.fingerprint().contains(" augment=flip brightness=0.2"), c.fingerprint());
        assertTrue(TrainConfig.load(Path.of("conf/mqn_tiny.yaml")).augment().isNone());
        assertTrue(!TrainConfig.load(Path.of("conf/mqn_tiny.yaml")).fingerprint().contains("augment"));
        assertEquals(c, c.toBuilder().build());
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "train:\n  augment: {flip: true, brightnes: 0.2}\n");
        MqnException typo = assertThrows(MqnException.class, () -> TrainConfig.load(f));
        assertTrue(typo.getMessage().contains("train.augment.brightnes"), typo.getMessage());
        Files.writeString(f, "train:\n  augment: {occlusion: 2}\n");
        assertTrue(assertThrows(MqnException.class, () -> TrainConfig.load(f)).getMessage().contains("augment.occlusion"));
        Files.writeString(f, "train:\n  augment: true\n");
        assertTrue(assertThrows(MqnException.class, () -> TrainConfig.load(f)).getMessage().contains("must be a map"));
    }

    /** Stage of each torchvision Swin name, by the layout of torchvision's swin_t (features.0 stem, odd = blocks, even = merging). */
    @Test
    void swinStageOfTorchvisionNames() {
        String[][] cases = {{"features.0.0.weight", "1"}, {"features.0.2.bias", "1"}, {"features.1.0.attn.qkv.weight", "1"},
                {"norm0.weight", "1"}, {"features.2.reduction.weight", "2"}, {"features.3.1.mlp.0.weight", "2"},
                {"norm1.bias", "2"}, {"features.4.norm.weight", "3"}, {"features.5.5.norm2.weight", "3"}, {"norm2.weight", "3"},
                {"features.6.reduction.weight", "4"}, {"features.7.0.attn.relative_position_bias_table", "4"},
                {"norm3.weight", "4"}, {"decoder.norm.weight", "0"}, {"encoder.layer.0.attention.self.query.weight", "0"},
                {"normalize.weight", "0"}};
        for (String[] c : cases) {
            assertEquals(Integer.parseInt(c[1]), ModelDefinition.swinStage(c[0]), c[0]);
        }
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
