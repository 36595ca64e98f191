package org.mqn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.data.MmpsSplitFile;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.io.GraphFile;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.serve.TinyServe;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mqn train} for two steps (stochastic depth on, so the training graph has random layers), then
 * {@code mqn export} from the finished run (final.sd) and from its resumable checkpoint alone (last.json
 * + last-*.sd with Adam state): both exports hold the trained weights and segment alike, deterministically.
 */
class ExportFromTrainingTest {

    @Test
    void exportFromFinalGraphAndFromCheckpointAgree(@TempDir Path dir) throws Exception {
        MqnConfig base = TinyServe.config(MqnConfig.Variant.MQN);
        MqnConfig cfg = base.toBuilder().swin(base.swin().toBuilder().stochasticDepth(0.3).build()).build();
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, cfg.toYaml() + "train:\n  epochs: 1\n  batch_size: 4\n  learning_rate: 1.0e-2\n"
                + "  warmup_steps: 0\n  seed: 1\n  data_threads: 1\n  threads: 1\n");
        Path data = dir.resolve("data");
        new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(), SynthConfig.builder().size(40).seed(2).build()), 1)
                .write(data, Map.of("train", 8, "test", 2), false);
        Path run = dir.resolve("run");
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        var savedOut = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertEquals(0, cl.execute("train", "--config", yaml.toString(), "--data", data.toString(), "--out", run.toString(),
                    "--no-progress"), err.toString());
            assertEquals(0, Main.commandLine().execute("export", "--checkpoint", run.toString(), "--out",
                    dir.resolve("final.mqn").toString()));
            Files.delete(run.resolve("final.sd"));
            assertEquals(0, Main.commandLine().execute("export", "--checkpoint", run.toString(), "--out",
                    dir.resolve("ckpt.mqn").toString()));
        } finally {
            System.setOut(savedOut);
        }
        MqnSegmenter fromFinal = MqnSegmenter.load(dir.resolve("final.mqn"));
        MqnSegmenter fromCkpt = MqnSegmenter.load(dir.resolve("ckpt.mqn"));
        // trained: the weights moved away from the initial ones
        SameDiff init = org.mqn4j.fusion.MqnNetwork.build(cfg, false).sameDiff();
        double moved = 0;
        for (SDVariable v : fromFinal.model().graph().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                moved = Math.max(moved, v.getArr().sub(init.getArrForVarName(v.name())).amaxNumber().doubleValue());
            }
        }
        assertTrue(moved > 1e-4, "weights did not change: " + moved);
        for (MmpsRecord r : MmpsSplitFile.read(data, "test").records()) {
            BufferedImage img = ImageDecoder.read(r.image());
            float[] a = fromFinal.segment(img, r.title()).modelProbability();
            assertArrayEquals(a, fromFinal.segment(img, r.title()).modelProbability(), 0f, "not deterministic");
            assertArrayEquals(a, fromCkpt.segment(img, r.title()).modelProbability(), 1e-6f);
        }
    }
}
