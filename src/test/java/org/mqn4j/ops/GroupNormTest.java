package org.mqn4j.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** GroupNorm(1, C) on channels-last maps; against torch inside the decoder in FusionReferenceTest. */
class GroupNormTest {

    /** Against a plain double loop over each sample's h·w·C values: biased variance, eps inside the root, per-channel affine. */
    @Test
    void matchesDirectComputationWithLargeEps() {
        Nd4j.getRandom().setSeed(2);
        int bs = 3, h = 2, w = 3, c = 4;
        INDArray x = Nd4j.randn(DataType.DOUBLE, bs, h, w, c).muli(2).addi(0.7);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).muli(10);   // one sample on another scale
        INDArray g = Nd4j.randn(DataType.DOUBLE, c);
        INDArray b = Nd4j.randn(DataType.DOUBLE, c);
        double eps = 0.5;
        SameDiff sd = SameDiff.create();
        GroupNorm.apply(sd, "y", sd.placeHolder("x", DataType.DOUBLE, -1, h, w, c), h, w, sd.constant("g", g), sd.constant("b", b), eps);
        INDArray y = sd.output(Map.of("x", x), "y").get("y");
        for (int n = 0; n < bs; n++) {
            double mean = 0;
            for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int k = 0; k < c; k++) mean += x.getDouble(n, i, j, k);
            mean /= h * w * c;
            double var = 0;
            for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int k = 0; k < c; k++) var += Math.pow(x.getDouble(n, i, j, k) - mean, 2);
            var /= h * w * c;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int k = 0; k < c; k++) {
                        double ref = (x.getDouble(n, i, j, k) - mean) / Math.sqrt(var + eps) * g.getDouble(k) + b.getDouble(k);
                        assertEquals(ref, y.getDouble(n, i, j, k), 1e-12);
                    }
                }
            }
        }
    }

    /** Unlike a per-pixel LayerNorm it keeps a pixel's size against the others: a map of a pixel 3x another stays 3x. */
    @Test
    void keepsRelativePixelAmplitude() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2);
        x.putScalar(new long[]{0, 0, 0, 0}, 1).putScalar(new long[]{0, 0, 0, 1}, -1);
        x.putScalar(new long[]{0, 0, 1, 0}, 3).putScalar(new long[]{0, 0, 1, 1}, -3);
        SameDiff sd = SameDiff.create();
        GroupNorm.apply(sd, "y", sd.placeHolder("x", DataType.DOUBLE, -1, 1, 2, 2), 1, 2,
                sd.constant("g", Nd4j.ones(DataType.DOUBLE, 2)), sd.constant("b", Nd4j.zeros(DataType.DOUBLE, 2)), 0);
        INDArray y = sd.output(Map.of("x", x), "y").get("y");
        // mean 0, variance (1 + 1 + 9 + 9) / 4 = 5
        assertEquals(1 / Math.sqrt(5), y.getDouble(0, 0, 0, 0), 1e-12);
        assertEquals(3 / Math.sqrt(5), y.getDouble(0, 0, 1, 0), 1e-12);
        assertEquals(-3 / Math.sqrt(5), y.getDouble(0, 0, 1, 1), 1e-12);
    }
}
