package org.mqn4j.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LayerNormTest {

    /** Against a plain double loop: biased variance, eps inside the square root, affine after. */
    @Test
    void matchesDirectComputationWithLargeEps() {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 5).muli(3).addi(1);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 5);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 5);
        double eps = 0.5; // large, so that a wrong or ignored eps shows
        SameDiff sd = SameDiff.create();
        LayerNorm.apply(sd, "y", sd.placeHolder("x", DataType.DOUBLE, -1, 3, 5), sd.constant("w", w), sd.constant("b", b), eps);
        INDArray y = sd.output(Map.of("x", x), "y").get("y");
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double mean = 0;
                for (int k = 0; k < 5; k++) {
                    mean += x.getDouble(i, j, k) / 5;
                }
                double var = 0;
                for (int k = 0; k < 5; k++) {
                    var += Math.pow(x.getDouble(i, j, k) - mean, 2) / 5;
                }
                for (int k = 0; k < 5; k++) {
                    double ref = (x.getDouble(i, j, k) - mean) / Math.sqrt(var + eps) * w.getDouble(k) + b.getDouble(k);
                    assertEquals(ref, y.getDouble(i, j, k), 1e-12);
                }
            }
        }
    }

    /** torch.nn.LayerNorm(4, eps=1e-5) with weight 1, bias 0 on [1, 2, 3, 4.5]. */
    @Test
    void matchesTorchValues() {
        SameDiff sd = SameDiff.create();
        LayerNorm.apply(sd, "y", sd.placeHolder("x", DataType.FLOAT, -1, 4),
                sd.constant("w", Nd4j.ones(DataType.FLOAT, 4)), sd.constant("b", Nd4j.zeros(DataType.FLOAT, 4)), 1e-5);
        INDArray y = sd.output(Map.of("x", Nd4j.createFromArray(new float[][]{{1f, 2f, 3f, 4.5f}})), "y").get("y");
        double[] torch = {-1.25675368309021, -0.48336684703826904, 0.29002004861831665, 1.4501004219055176};
        for (int k = 0; k < 4; k++) {
            assertEquals(torch[k], y.getDouble(0, k), 1e-6);
        }
    }

    @Test
    void gradientCheckAndSaveLoad(@TempDir Path dir) throws Exception {
        Nd4j.getRandom().setSeed(2);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, 2, 3, 4));
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 4).addi(0.5));
        SDVariable b = sd.var("b", Nd4j.randn(DataType.DOUBLE, 4));
        SDVariable y = LayerNorm.apply(sd, "y", x, w, b, 1e-5);
        OpChecks.weightedSumLoss(sd, y, 2, 3, 4);
        Map<String, INDArray> ph = Map.of();
        OpChecks.assertGradientsMatch(sd, ph);
        OpChecks.assertSaveLoadRoundTrip(sd, dir, ph, "y", "x", "w", "b");
    }
}
