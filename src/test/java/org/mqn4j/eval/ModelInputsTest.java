package org.mqn4j.eval;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.MmpsBatch;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.fusion.GroundingLoss;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.fusion.TitleHeads;
import org.mqn4j.fusion.VisualHeads;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.TextConfig;
import org.mqn4j.text.WordPieceVocab;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The label placeholders of a network with every auxiliary loss, fed from records' metadata. */
class ModelInputsTest {
    static final Vocabulary V = Vocabulary.standard();

    @Test
    void auxiliaryLabelsComeFromTheMetadata() {
        SwinConfig swin = SwinConfig.builder().embedDim(4).depths(1, 1, 1, 1).numHeads(1, 1, 2, 2).windowSize(2).mlpRatio(1).build();
        TextConfig text = TextConfig.builder().hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(16)
                .vocabSize(WordPieceVocab.defaultVocab().size()).maxPositionEmbeddings(12).typeVocabSize(1).build();
        MqnConfig cfg = MqnConfig.builder().imageSize(32).maxTitleLength(12).swin(swin).text(text).decoderDim(4)
                .titleHeadsWeight(0.1).groundingWeight(1.0).visualHeadsWeight(1.0).sideOutputWeight(1.0).build();
        SameDiff sd = MqnNetwork.build(cfg, false).sameDiff();
        assertEquals(List.of("target", TitleHeads.COLOR_LABEL, TitleHeads.CATEGORY_LABEL, GroundingLoss.NAMING_TOKENS,
                VisualHeads.COLOR, VisualHeads.CATEGORY), ModelInputs.labelNames(sd));

        Map<String, Object> target = Map.of("color", "red", "category", "mug", "color_zh", "红色", "category_zh", "杯子");
        MmpsRecord named = record("红色杯子送蓝色杯垫", Map.of("target", target, "title_names", List.of("color")));
        MmpsRecord bare = record("杯子", Map.of());
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray masks = Nd4j.zeros(DataType.FLOAT, 2, 1, 32, 32);
        masks.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 20), org.nd4j.linalg.indexing.NDArrayIndex.interval(8, 24)).assign(1);
        BertTokenizer tok = BertTokenizer.builder().maxLength(12).build();
        Map<String, INDArray> ph = ModelInputs.training(sd, new MmpsBatch(List.of(named, bare), images, masks), tok);

        // [CLS] 红 色 杯 子 送 蓝 色 杯 垫 [SEP] [PAD]: the title names only the colour, so only 红色 is marked
        assertArrayEquals(new float[]{0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ph.get(GroundingLoss.NAMING_TOKENS).getRow(0).toFloatVector());
        assertEquals(0.0, ph.get(GroundingLoss.NAMING_TOKENS).getRow(1).sumNumber().doubleValue());
        int red = V.colours().indexOf(V.colour("red"));
        int mug = V.categories().indexOf(V.category("mug"));
        // title heads: colour red, category "not named"; visual heads: what the image shows, red and mug
        assertEquals(1.0, ph.get(TitleHeads.COLOR_LABEL).getDouble(0, red));
        assertEquals(1.0, ph.get(TitleHeads.CATEGORY_LABEL).getDouble(0, V.categories().size()));
        assertEquals(1.0, ph.get(VisualHeads.COLOR).getDouble(0, red));
        assertEquals(1.0, ph.get(VisualHeads.CATEGORY).getDouble(0, mug));
        for (String label : List.of(TitleHeads.COLOR_LABEL, TitleHeads.CATEGORY_LABEL, VisualHeads.COLOR, VisualHeads.CATEGORY)) {
            assertEquals(1.0, ph.get(label).getRow(0).sumNumber().doubleValue(), label);
            assertEquals(0.0, ph.get(label).getRow(1).sumNumber().doubleValue(), label);
        }
        double loss = sd.output(ph, "loss").get("loss").getDouble(0);
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
    }

    private static MmpsRecord record(String title, Map<String, Object> meta) {
        return new MmpsRecord("train", 1, title, Path.of("i.png"), Path.of("m.png"), title, meta);
    }
}
