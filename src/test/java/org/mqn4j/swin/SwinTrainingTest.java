package org.mqn4j.swin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwinTrainingTest {

    private static TrainingConfig adam(double lr) {
        return new TrainingConfig.Builder().updater(new Adam(lr))
                .dataSetFeatureMapping("input").dataSetLabelMapping("labels").build();
    }

    private static double loss(SameDiff sd, DataSet d) {
        return sd.output(Map.of("input", d.getFeatures(), "labels", d.getLabels()), "loss").get("loss").getDouble(0);
    }

    /** A tiny Swin (with stochastic depth) learns to name an image's colour: the loss falls. */
    @Test
    void tinySwinLearnsColours() {
        Nd4j.getRandom().setSeed(11); // stochastic depth draws
        SameDiff sd = ToySwin.build(true);
        sd.setTrainingConfig(adam(3e-3));
        Random random = new Random(11);
        DataSet eval = ToySwin.batch(32, random);
        double before = loss(sd, eval);
        for (int step = 0; step < 40; step++) {
            sd.fit(ToySwin.batch(16, random));
        }
        double after = loss(sd, eval);
        INDArray logits = sd.output(Map.of("input", eval.getFeatures()), "logits").get("logits");
        double acc = logits.argMax(1).eq(eval.getLabels().argMax(1)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .meanNumber().doubleValue();
        System.out.printf("toy colour task: loss %.4f -> %.4f, accuracy %.2f%n", before, after, acc);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
        assertTrue(acc >= 0.9, "accuracy " + acc);
    }

    /** Saved after a training step, loaded in a new JVM: identical logits and identical gradients. */
    @Test
    void savedModelReloadsInNewJvm(@TempDir Path dir) throws Exception {
        SameDiff sd = ToySwin.build(false);
        sd.setTrainingConfig(adam(1e-3));
        Random random = new Random(12);
        sd.fit(ToySwin.batch(8, random)); // one step, so that the saved weights are trained ones
        File model = dir.resolve("toy.sd").toFile();
        sd.save(model, false);
        DataSet d = ToySwin.batch(4, random);
        write(dir.resolve("input.bin"), d.getFeatures());
        write(dir.resolve("labels.bin"), d.getLabels());
        Map<String, INDArray> ph = Map.of("input", d.getFeatures(), "labels", d.getLabels());
        INDArray logits = sd.output(ph, "logits").get("logits");
        INDArray grad = sd.calculateGradients(ph, "features.1.0.attn.qkv.weight").get("features.1.0.attn.qkv.weight");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ReloadCheck.class.getName(),
                model.toString(), dir.resolve("input.bin").toString(), dir.resolve("labels.bin").toString(),
                dir.resolve("out.bin").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + tail(log));
        try (DataInputStream in = new DataInputStream(new FileInputStream(dir.resolve("out.bin").toFile()))) {
            INDArray childLogits = Nd4j.read(in);
            INDArray childGrad = Nd4j.read(in);
            assertEquals(logits, childLogits, "logits differ after reload in a new JVM");
            assertTrue(grad.norm2Number().doubleValue() > 0, "zero gradient");
            assertEquals(grad, childGrad, "gradients differ after reload in a new JVM");
        }
    }

    private static void write(Path f, INDArray a) throws Exception {
        try (DataOutputStream out = new DataOutputStream(new FileOutputStream(f.toFile()))) {
            Nd4j.write(a, out);
        }
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
