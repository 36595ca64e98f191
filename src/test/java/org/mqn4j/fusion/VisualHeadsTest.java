package org.mqn4j.fusion;

import org.junit.jupiter.api.Test;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The visual heads' loss against its formula computed by hand, and its gradients against central differences. */
class VisualHeadsTest {
    static final int B = 3, SIZE = 7, KC = 3, KK = 4;
    static final int[][] STAGES = {{4, 4, 3, 2}, {2, 2, 5, 4}}; // h, w, dim, stride: a 7 px image, the last row and column padded

    @Test
    void lossIsTheMaskWeightedCrossEntropyOfEachCoveredCell() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(4);
        Params p = new Params(sd, DataType.DOUBLE, 3);
        INDArray[] f = new INDArray[STAGES.length];
        List<FeatureMap> stages = new java.util.ArrayList<>();
        for (int i = 0; i < STAGES.length; i++) {
            f[i] = Nd4j.randn(DataType.DOUBLE, B, STAGES[i][0], STAGES[i][1], STAGES[i][2]);
            stages.add(new FeatureMap(i + 1, sd.var("f" + i, f[i].dup()), STAGES[i][0], STAGES[i][1], STAGES[i][2], STAGES[i][3]));
        }
        INDArray target = Nd4j.rand(DataType.DOUBLE, B, 1, SIZE, SIZE).gt(0.5).castTo(DataType.DOUBLE);
        SDVariable t = sd.placeHolder("target", DataType.DOUBLE, -1, 1, SIZE, SIZE);
        SDVariable loss = VisualHeads.apply(p, stages, t, SIZE, KC, KK).rename("loss");
        sd.setLossVariables(loss);
        // sample 0: colour 2, category 1; sample 1: colour 0, no category; sample 2: nothing
        double[][] yc = {{0, 0, 1}, {1, 0, 0}, {0, 0, 0}};
        double[][] yk = {{0, 1, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        Map<String, INDArray> ph = Map.of("target", target, VisualHeads.COLOR, Nd4j.createFromArray(yc),
                VisualHeads.CATEGORY, Nd4j.createFromArray(yk));
        double got = sd.output(ph, "loss").get("loss").getDouble(0);

        double expected = 0;
        for (int i = 0; i < STAGES.length; i++) {
            int h = STAGES[i][0], w = STAGES[i][1], c = STAGES[i][2], k = STAGES[i][3];
            for (String head : new String[]{"color", "category"}) {
                double[][] y = head.equals("color") ? yc : yk;
                INDArray wt = sd.getVariable("heads.visual." + (i + 1) + "." + head + ".weight").getArr();
                INDArray bias = sd.getVariable("heads.visual." + (i + 1) + "." + head + ".bias").getArr();
                int classes = y[0].length;
                double num = 0, den = 0;
                for (int b = 0; b < B; b++) {
                    double has = 0;
                    for (double v : y[b]) {
                        has += v;
                    }
                    for (int r = 0; r < h; r++) {
                        for (int col = 0; col < w; col++) {
                            double g = LossChecks.cellShare(target, b, r, col, k);
                            double[] z = new double[classes];
                            double lse = 0;
                            for (int q = 0; q < classes; q++) {
                                z[q] = bias.getDouble(q);
                                for (int ch = 0; ch < c; ch++) {
                                    z[q] += wt.getDouble(q, ch) * f[i].getDouble(b, r, col, ch);
                                }
                                lse += Math.exp(z[q]);
                            }
                            lse = Math.log(lse);
                            double cell = 0;
                            for (int q = 0; q < classes; q++) {
                                cell -= y[b][q] * (z[q] - lse);
                            }
                            num += g * has * cell;
                            den += g * has;
                        }
                    }
                }
                expected += num / den;
            }
        }
        expected /= STAGES.length;
        assertEquals(expected, got, 1e-10);

        String[] names = {"f0", "f1", "heads.visual.1.color.weight", "heads.visual.2.category.bias"};
        LossChecks.gradientsMatchCentralDifferences(sd, ph, 5, names);
    }

    @Test
    void aBatchWithoutLabelsAddsNothing() {
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 3);
        SDVariable f = sd.var("f", Nd4j.randn(DataType.DOUBLE, 2, 2, 2, 3));
        SDVariable t = sd.placeHolder("target", DataType.DOUBLE, -1, 1, 4, 4);
        SDVariable loss = VisualHeads.apply(p, List.of(new FeatureMap(1, f, 2, 2, 3, 2)), t, 4, KC, KK).rename("loss");
        Map<String, INDArray> ph = Map.of("target", Nd4j.ones(DataType.DOUBLE, 2, 1, 4, 4),
                VisualHeads.COLOR, Nd4j.zeros(DataType.DOUBLE, 2, KC), VisualHeads.CATEGORY, Nd4j.zeros(DataType.DOUBLE, 2, KK));
        assertEquals(0.0, sd.output(ph, "loss").get("loss").getDouble(0), 0.0);
    }
}
