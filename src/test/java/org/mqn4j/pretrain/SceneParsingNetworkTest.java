package org.mqn4j.pretrain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsWriter;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.TextConfig;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneParsingNetworkTest {
    static final int S = 36; // stage maps 9, 5, 3, 2: padding in attention and merging
    static final SwinConfig SWIN = SwinConfig.builder().embedDim(4).depths(1, 1, 1, 1).numHeads(1, 1, 2, 2).windowSize(2)
            .mlpRatio(1).build();

    @Test
    void lossIsTheSoftCrossEntropyOfEveryCellAveragedOverStages() {
        SceneParsingNetwork net = SceneParsingNetwork.build(SWIN, S, 3, 2, 5);
        SameDiff sd = net.sameDiff();
        assertEquals(List.of(List.of(9, 9, 4), List.of(5, 5, 8), List.of(3, 3, 16), List.of(2, 2, 32)),
                net.grids().stream().map(g -> List.of(g[0], g[1], g[2])).toList());
        Nd4j.getRandom().setSeed(11);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input", Nd4j.randn(DataType.FLOAT, 2, 3, S, S));
        for (int i = 0; i < 4; i++) {
            int n = net.grids().get(i)[0] * net.grids().get(i)[1];
            for (String a : List.of(SceneParsingNetwork.CATEGORY, SceneParsingNetwork.COLOR)) {
                int k = a.equals(SceneParsingNetwork.CATEGORY) ? 4 : 3;
                INDArray y = Nd4j.rand(DataType.FLOAT, 2, n, k);
                ph.put(SceneParsingNetwork.shareName(i, a), y.div(y.sum(true, 2)));
            }
        }
        List<String> outputs = new ArrayList<>(List.of("loss"));
        for (int i = 0; i < 4; i++) {
            outputs.add(SceneParsingNetwork.logitsName(i, SceneParsingNetwork.CATEGORY));
            outputs.add(SceneParsingNetwork.logitsName(i, SceneParsingNetwork.COLOR));
        }
        Map<String, INDArray> out = sd.output(ph, outputs);
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            for (String a : List.of(SceneParsingNetwork.CATEGORY, SceneParsingNetwork.COLOR)) {
                INDArray z = out.get(SceneParsingNetwork.logitsName(i, a));
                INDArray y = ph.get(SceneParsingNetwork.shareName(i, a));
                double sum = 0;
                long cells = z.size(0) * z.size(1);
                for (int b = 0; b < z.size(0); b++) {
                    for (int n = 0; n < z.size(1); n++) {
                        double logSum = 0;
                        for (int k = 0; k < z.size(2); k++) {
                            logSum += Math.exp(z.getDouble(b, n, k));
                        }
                        logSum = Math.log(logSum);
                        for (int k = 0; k < z.size(2); k++) {
                            sum -= y.getDouble(b, n, k) * (z.getDouble(b, n, k) - logSum);
                        }
                    }
                }
                expected += sum / cells;
            }
        }
        assertEquals(expected / 4, out.get("loss").getDouble(0), 1e-5 * Math.abs(expected));
    }

    @Test
    void theBackboneLoadsIntoTheMqnUnderTheSameNames(@TempDir Path dir) {
        SceneParsingNetwork net = SceneParsingNetwork.build(SWIN, S, 3, 2, 5);
        Map<String, INDArray> backbone = SwinPretrainer.backbone(net.sameDiff());
        assertTrue(backbone.containsKey("features.0.0.weight") && backbone.containsKey("norm3.weight")
                && backbone.containsKey("features.7.0.attn.qkv.weight"), backbone.keySet().toString());
        assertTrue(backbone.keySet().stream().noneMatch(n -> n.startsWith("parse.")), "the heads are not part of the backbone");
        Path file = dir.resolve("swin.safetensors");
        SafetensorsWriter.write(file, backbone, Map.of());

        TextConfig text = TextConfig.builder().hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(16)
                .vocabSize(30).maxPositionEmbeddings(6).typeVocabSize(1).build();
        MqnNetwork mqn = MqnNetwork.build(MqnConfig.builder().imageSize(S).maxTitleLength(6).swin(SWIN).text(text)
                .decoderDim(4).seed(99).build(), false);
        LoadReport report = mqn.loadSwin(file);
        assertTrue(report.unused().isEmpty(), report.describe(10));
        assertEquals(backbone.size(), report.loaded().size(), report.describe(10));
        for (Map.Entry<String, INDArray> e : backbone.entrySet()) {
            assertEquals(e.getValue(), mqn.sameDiff().getVariable(e.getKey()).getArr(), e.getKey());
        }
    }
}
