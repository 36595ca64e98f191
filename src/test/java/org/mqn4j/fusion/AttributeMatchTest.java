package org.mqn4j.fusion;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.Vocabulary;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The attribute match maps against their formula by hand, their limits, their gradients, and their place in the network. */
class AttributeMatchTest {
    static final int H = 2, W = 3, KC = 3, KK = 4;

    private static SDVariable build(SameDiff sd, INDArray zc, INDArray zk, INDArray tc, INDArray tk) {
        SDVariable[] visual = {sd.var("zc", zc.dup()), sd.var("zk", zk.dup())};
        TitleHeads.Logits title = new TitleHeads.Logits(sd.var("tc", tc.dup()), sd.var("tk", tk.dup()));
        return AttributeMatch.apply(visual, title, H, W, KC, KK).rename("match");
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    @Test
    void mapsAreTwiceTheProbabilityThatCellAndTitleNameTheSameClassMinusOne() {
        for (int b : new int[]{1, 3}) { // one-row batches too: the title columns are selected by a product, not a slice
            Nd4j.getRandom().setSeed(b);
            INDArray zc = Nd4j.randn(DataType.DOUBLE, b, H * W, KC).muli(2);
            INDArray zk = Nd4j.randn(DataType.DOUBLE, b, H * W, KK).muli(2);
            INDArray tc = Nd4j.randn(DataType.DOUBLE, b, KC + 1).muli(2);
            INDArray tk = Nd4j.randn(DataType.DOUBLE, b, KK + 1).muli(2);
            SameDiff sd = SameDiff.create();
            build(sd, zc, zk, tc, tk);
            INDArray m = sd.outputSingle(Map.of(), "match");
            assertArrayEquals(new long[]{b, H, W, 2}, m.shape());
            for (int s = 0; s < b; s++) {
                for (int a = 0; a < 2; a++) {
                    INDArray z = a == 0 ? zc : zk;
                    INDArray t = a == 0 ? tc : tk;
                    double[] q = softmax(t.getRow(s).toDoubleVector());
                    for (int n = 0; n < H * W; n++) {
                        double[] pr = softmax(z.get(org.nd4j.linalg.indexing.NDArrayIndex.point(s),
                                org.nd4j.linalg.indexing.NDArrayIndex.point(n), org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector());
                        double dot = 0;
                        for (int k = 0; k < pr.length; k++) {
                            dot += pr[k] * q[k]; // q's last class, "not named", has no cell class to meet
                        }
                        assertEquals(2 * dot - 1, m.getDouble(s, n / W, n % W, a), 1e-12, "b=" + s + " n=" + n + " a=" + a);
                    }
                }
            }
        }
    }

    @Test
    void limits() {
        // cell 0 is surely class 1 of both; the title surely names class 1 colour and nothing for the category
        INDArray zc = Nd4j.zeros(DataType.DOUBLE, 1, H * W, KC);
        INDArray zk = Nd4j.zeros(DataType.DOUBLE, 1, H * W, KK);
        zc.putScalar(new long[]{0, 0, 1}, 60);
        zk.putScalar(new long[]{0, 0, 1}, 60);
        zc.putScalar(new long[]{0, 1, 2}, 60);
        INDArray tc = Nd4j.zeros(DataType.DOUBLE, 1, KC + 1);
        tc.putScalar(1, 60);
        INDArray tk = Nd4j.zeros(DataType.DOUBLE, 1, KK + 1);
        tk.putScalar(KK, 60);
        SameDiff sd = SameDiff.create();
        build(sd, zc, zk, tc, tk);
        INDArray m = sd.outputSingle(Map.of(), "match");
        assertEquals(1.0, m.getDouble(0, 0, 0, 0), 1e-9, "the cell shows the named colour");
        assertEquals(-1.0, m.getDouble(0, 0, 1, 0), 1e-9, "the cell shows another colour");
        assertEquals(2.0 / KC - 1, m.getDouble(0, 1, 0, 0), 1e-9, "an undecided cell");
        for (int n = 0; n < H * W; n++) {
            assertEquals(-1.0, m.getDouble(0, n / W, n % W, 1), 1e-9, "a title naming no category matches no cell");
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Nd4j.getRandom().setSeed(11);
        SameDiff sd = SameDiff.create();
        SDVariable m = build(sd, Nd4j.randn(DataType.DOUBLE, 2, H * W, KC), Nd4j.randn(DataType.DOUBLE, 2, H * W, KK),
                Nd4j.randn(DataType.DOUBLE, 2, KC + 1), Nd4j.randn(DataType.DOUBLE, 2, KK + 1));
        SDVariable r = sd.constant(Nd4j.randn(DataType.DOUBLE, 2, H, W, 2));
        sd.setLossVariables(m.mul(r).sum().rename("loss"));
        LossChecks.gradientsMatchCentralDifferences(sd, Map.of(), 1, "zc", "zk", "tc", "tk");
    }

    @Test
    void networkFeedsTheMapsToTheDecoder() {
        MqnConfig plain = TinyMqn.config(MqnConfig.Variant.MQN).toBuilder().titleHeadsWeight(0.1).visualHeadsWeight(0.1).build();
        assertThrows(IllegalArgumentException.class, () -> TinyMqn.config(MqnConfig.Variant.MQN).toBuilder()
                .attributeMatch(3).build(), "the maps need both heads trained");
        assertThrows(IllegalArgumentException.class, () -> plain.toBuilder().attributeMatch(5).build());
        MqnConfig cfg = plain.toBuilder().attributeMatch(4, 2).build();
        assertArrayEquals(new int[]{2, 4}, cfg.attributeMatch());
        assertEquals(cfg, MqnConfig.fromTree(cfg.toTree(), null, "test"), "attribute_match survives YAML");
        assertTrue(cfg.toYaml().contains("attribute_match"));

        SameDiff sd = MqnNetwork.build(cfg, false).sameDiff();
        Map<String, INDArray> ph = TinyMqn.batch(2, 5, DataType.FLOAT);
        INDArray before = sd.output(ph, "logits").get("logits");
        for (String v : new String[]{"heads.visual.2.category.weight", "heads.visual.4.color.weight", "heads.category.weight"}) {
            INDArray w = sd.getVariable(v).getArr();
            INDArray keep = w.dup();
            w.muli(-3);
            assertTrue(MqnNetworkTest.maxDiff(before, sd.output(ph, "logits").get("logits")) > 1e-5, v + " does not reach the logits");
            w.assign(keep);
        }
        // the training loss still takes the heads' labels
        Vocabulary v = Vocabulary.standard();
        Map<String, INDArray> train = new HashMap<>(ph);
        train.put(TitleHeads.COLOR_LABEL, Nd4j.zeros(DataType.FLOAT, 2, v.colours().size() + 1).putScalar(new long[]{0, 1}, 1));
        train.put(TitleHeads.CATEGORY_LABEL, Nd4j.zeros(DataType.FLOAT, 2, v.categories().size() + 1).putScalar(new long[]{1, 0}, 1));
        train.put(VisualHeads.COLOR, Nd4j.zeros(DataType.FLOAT, 2, v.colours().size()).putScalar(new long[]{0, 1}, 1));
        train.put(VisualHeads.CATEGORY, Nd4j.zeros(DataType.FLOAT, 2, v.categories().size()).putScalar(new long[]{1, 0}, 1));
        double loss = sd.output(train, "loss").get("loss").getDouble(0);
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        assertTrue(sd.calculateGradients(train, "heads.visual.2.category.weight").get("heads.visual.2.category.weight")
                .norm2Number().doubleValue() > 0);
        // the visual heads are probes at the matched stages only: their labels change no gradient of the fusion
        assertTrue(!sd.hasVariable("heads.visual.1.color.weight") && !sd.hasVariable("heads.visual.3.category.weight"));
        INDArray withLabels = sd.calculateGradients(train, "fusion.1.gate").get("fusion.1.gate").dup();
        Map<String, INDArray> noVisual = new HashMap<>(train);
        noVisual.put(VisualHeads.COLOR, Nd4j.zerosLike(train.get(VisualHeads.COLOR)));
        noVisual.put(VisualHeads.CATEGORY, Nd4j.zerosLike(train.get(VisualHeads.CATEGORY)));
        assertEquals(withLabels.getDouble(0), sd.calculateGradients(noVisual, "fusion.1.gate").get("fusion.1.gate").getDouble(0), 1e-9);
        // the maps are read behind a stop-gradient: without labels (all-zero rows) the heads get no gradient
        for (String k : new String[]{TitleHeads.COLOR_LABEL, TitleHeads.CATEGORY_LABEL, VisualHeads.COLOR, VisualHeads.CATEGORY}) {
            train.put(k, Nd4j.zerosLike(train.get(k)));
        }
        Map<String, INDArray> g = sd.calculateGradients(train, "heads.visual.2.category.weight", "heads.category.weight",
                "decoder.2.conv1.weight");
        assertEquals(0.0, g.get("heads.visual.2.category.weight").norm2Number().doubleValue());
        assertEquals(0.0, g.get("heads.category.weight").norm2Number().doubleValue());
        assertTrue(g.get("decoder.2.conv1.weight").norm2Number().doubleValue() > 0);
    }
}
