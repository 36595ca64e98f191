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

/** The side outputs' loss against its formula computed by hand, and its gradients against central differences. */
class SideOutputsTest {
    static final int B = 2, SIZE = 7;
    static final int[][] STAGES = {{4, 4, 3, 2}, {2, 2, 5, 4}}; // h, w, dim, stride: a 7 px image, the last row and column padded

    @Test
    void lossIsThePerCellCrossEntropyOfAOneByOneConvolutionAgainstThePooledMask() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(9);
        Params p = new Params(sd, DataType.DOUBLE, 2);
        INDArray[] f = new INDArray[STAGES.length];
        List<FeatureMap> stages = new java.util.ArrayList<>();
        for (int i = 0; i < STAGES.length; i++) {
            f[i] = Nd4j.randn(DataType.DOUBLE, B, STAGES[i][0], STAGES[i][1], STAGES[i][2]);
            stages.add(new FeatureMap(i + 1, sd.var("f" + i, f[i].dup()), STAGES[i][0], STAGES[i][1], STAGES[i][2], STAGES[i][3]));
        }
        INDArray target = Nd4j.rand(DataType.DOUBLE, B, 1, SIZE, SIZE).gt(0.5).castTo(DataType.DOUBLE);
        SDVariable t = sd.placeHolder("target", DataType.DOUBLE, -1, 1, SIZE, SIZE);
        SDVariable loss = SideOutputs.apply(p, stages, t, SIZE).rename("loss");
        sd.setLossVariables(loss);
        Map<String, INDArray> ph = Map.of("target", target);
        double got = sd.output(ph, "loss").get("loss").getDouble(0);

        double expected = 0;
        for (int i = 0; i < STAGES.length; i++) {
            int h = STAGES[i][0], w = STAGES[i][1], c = STAGES[i][2], k = STAGES[i][3];
            INDArray wt = sd.getVariable("decoder.side." + (i + 1) + ".weight").getArr(); // [1, c]
            double bias = sd.getVariable("decoder.side." + (i + 1) + ".bias").getArr().getDouble(0);
            double sum = 0;
            for (int b = 0; b < B; b++) {
                for (int r = 0; r < h; r++) {
                    for (int col = 0; col < w; col++) {
                        double g = LossChecks.cellShare(target, b, r, col, k);
                        double z = bias;
                        for (int ch = 0; ch < c; ch++) {
                            z += wt.getDouble(0, ch) * f[i].getDouble(b, r, col, ch);
                        }
                        double sig = 1 / (1 + Math.exp(-z));
                        sum -= g * Math.log(sig) + (1 - g) * Math.log(1 - sig);
                    }
                }
            }
            expected += sum / (B * h * w);
        }
        expected /= STAGES.length;
        assertEquals(expected, got, 1e-10);

        String[] names = {"f0", "f1", "decoder.side.1.weight", "decoder.side.2.bias"};
        LossChecks.gradientsMatchCentralDifferences(sd, ph, 5, names);
    }
}
