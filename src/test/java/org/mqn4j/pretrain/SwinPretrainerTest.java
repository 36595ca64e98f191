package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.data.Resize;
import org.mqn4j.data.SampleLoader;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.io.SafetensorsFile;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwinPretrainerTest {

    @Test
    void accuracyIsWhichProductClassAmongCellsMostlyCoveredByAProduct() {
        // 5 cells, 3 classes: a product cell told right, one told right although background scores higher, one told
        // wrong, a background cell and a mixed cell (no class has half of it); only the first three count
        INDArray shares = Nd4j.createFromArray(new float[][][]{{{0, 1, 0}, {0, 1, 0}, {0.2f, 0, 0.8f}, {1, 0, 0}, {0.4f, 0.3f, 0.3f}}});
        INDArray logits = Nd4j.createFromArray(new float[][][]{{{0, 5, 1}, {9, 5, 1}, {0, 2, 1}, {0, 5, 1}, {0, 5, 1}}});
        assertEquals(2.0 / 3, SwinPretrainer.accuracy(logits, shares), 1e-12);
        assertTrue(Double.isNaN(SwinPretrainer.accuracy(logits, Nd4j.createFromArray(new float[][][]{{{1, 0, 0}}}))));
    }

    @Test
    void aSceneIsTheImageTheTrainerWouldReadFromAJpegOfIt(@TempDir Path dir) throws Exception {
        int s = SceneParsingNetworkTest.S;
        SwinPretrainer p = new SwinPretrainer(SceneParsingNetworkTest.SWIN, s,
                new SwinPretrainer.Settings(1, 1, 1e-3, 0, 0, 0, 1, 1, 0, null), dir, System.out);
        SceneParsingNetwork net = SceneParsingNetwork.build(SceneParsingNetworkTest.SWIN, s, 8, 11, 0);
        float[] got = p.batch(net, "pretrain", 5, 1).get("input").data().asFloat();
        // the same scene (generator seed 1000003 + seed 0) as `mqn synth` writes it and the trainer's SampleLoader decodes it
        SyntheticProducts products = new SyntheticProducts(Vocabulary.standard(), SynthConfig.builder().size(s).seed(1_000_003L).build());
        SyntheticProducts.Sample sample = products.sample("pretrain", 5);
        Path jpeg = dir.resolve("scene.jpg");
        Files.write(jpeg, SyntheticDatasetWriter.jpeg(sample.image(), products.config().jpegQuality()));
        float[] expected = new float[3 * s * s];
        Resize.bilinearRgb(ImageDecoder.readRgb(jpeg), s, s, SampleLoader.MEAN, SampleLoader.STD, expected, 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got, 1e-6f);
    }

    @Test
    void labelsOfABatchAreTheScenesClassSharesAndTheRunWritesTheBackboneAfterEveryEvaluation(@TempDir Path dir) throws Exception {
        SwinPretrainer.Settings s = new SwinPretrainer.Settings(3, 2, 1e-3, 1, 0.05, 0, 2, 4, 0, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SwinPretrainer p = new SwinPretrainer(SceneParsingNetworkTest.SWIN, SceneParsingNetworkTest.S, s, dir, new PrintStream(log, true));
        SceneParsingNetwork net = SceneParsingNetwork.build(SceneParsingNetworkTest.SWIN, SceneParsingNetworkTest.S, 8, 11, 0);
        Map<String, INDArray> batch = p.batch(net, "pretrain", 0, 2);
        assertEquals(List.of(2L, 3L, 36L, 36L), List.of(batch.get("input").shape()[0], batch.get("input").shape()[1],
                batch.get("input").shape()[2], batch.get("input").shape()[3]));
        for (String name : net.labelNames()) {
            INDArray y = batch.get(name);
            assertEquals(0, y.sum(2).sub(1.0).amaxNumber().doubleValue(), 1e-5, name + ": shares of a cell sum to 1");
        }
        // the scenes have products: some cells of stage 1 are mostly a product
        INDArray cat1 = batch.get(SceneParsingNetwork.shareName(0, SceneParsingNetwork.CATEGORY));
        assertTrue(cat1.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).minNumber().doubleValue() < 0.5);

        List<SwinPretrainer.Evaluation> history = p.run();
        assertEquals(List.of(2L, 3L), history.stream().map(SwinPretrainer.Evaluation::step).toList());
        assertTrue(log.toString().contains("step 3"), log.toString());
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals(2, metrics.get("history").size());
        assertEquals(4, metrics.get("history").get(1).get("categoryAccuracy").size());
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("swin.safetensors"))) {
            assertTrue(f.names().contains("features.0.0.weight") && f.names().contains("norm3.bias"), f.names().toString());
        }
        assertTrue(Files.notExists(dir.resolve("metrics.json.tmp")));
    }
}
