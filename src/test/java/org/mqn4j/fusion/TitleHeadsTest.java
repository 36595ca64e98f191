package org.mqn4j.fusion;

import org.junit.jupiter.api.Test;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The auxiliary title heads' loss against the formula computed by hand in plain Java. */
class TitleHeadsTest {
    static final int B = 3, T = 4, H = 5, KC = 3, KK = 2;

    @Test
    void lossIsTheMaskedMeanPooledCrossEntropy() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(3);
        INDArray lang = Nd4j.randn(DataType.DOUBLE, B, T, H);
        double[][] mask = {{1, 1, 0, 0}, {1, 1, 1, 1}, {1, 0, 0, 0}};
        SDVariable language = sd.var("language", lang.dup());
        SDVariable m = sd.constant("mask", Nd4j.createFromArray(mask));
        SDVariable loss = TitleHeads.loss(new Params(sd, DataType.DOUBLE, 11), language, m, T, H, KC, KK).rename("loss");
        sd.setLossVariables(loss);
        // labels: sample 0 colour 1 / category 2 ("not named"), sample 1 colour 3 ("not named") / category 0,
        // sample 2 unknown colour (zero row) / category 1
        double[][] yc = {{0, 1, 0, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}};
        double[][] yk = {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}};
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(TitleHeads.COLOR_LABEL, Nd4j.createFromArray(yc));
        ph.put(TitleHeads.CATEGORY_LABEL, Nd4j.createFromArray(yk));
        double got = sd.output(ph, "loss").get("loss").getDouble(0);

        double expected = 0;
        for (String head : new String[]{"color", "category"}) {
            INDArray w = sd.getVariable("heads." + head + ".weight").getArr();
            INDArray b = sd.getVariable("heads." + head + ".bias").getArr();
            double[][] y = head.equals("color") ? yc : yk;
            double sum = 0;
            for (int i = 0; i < B; i++) {
                double[] pooled = new double[H];
                double n = 0;
                for (int t = 0; t < T; t++) {
                    n += mask[i][t];
                    for (int h = 0; h < H; h++) {
                        pooled[h] += mask[i][t] * lang.getDouble(i, t, h);
                    }
                }
                int k = y[0].length;
                double[] z = new double[k];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    z[c] = b.getDouble(c);
                    for (int h = 0; h < H; h++) {
                        z[c] += w.getDouble(c, h) * pooled[h] / n;
                    }
                    max = Math.max(max, z[c]);
                }
                double lse = 0;
                for (int c = 0; c < k; c++) {
                    lse += Math.exp(z[c] - max);
                }
                lse = max + Math.log(lse);
                for (int c = 0; c < k; c++) {
                    sum -= y[i][c] * (z[c] - lse);
                }
            }
            expected += sum / B;
        }
        assertEquals(expected, got, 1e-12);
        INDArray p = sd.output(ph, "heads.color.probability").get("heads.color.probability");
        assertEquals(B, p.size(0));
        assertEquals(KC + 1, p.size(1));
        assertEquals(1.0, p.getRow(1).sumNumber().doubleValue(), 1e-12);

        LossChecks.gradientsMatchCentralDifferences(sd, ph, 1, "language", "heads.color.weight", "heads.category.bias");
    }
}
