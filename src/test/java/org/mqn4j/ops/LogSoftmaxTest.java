package org.mqn4j.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogSoftmaxTest {

    @Test
    void matchesTheDefinitionAlongEitherAxisAndStaysFiniteForLargeLogits() {
        double[][] z = {{1.0, 2.0, 3.0}, {-1000.0, 0.0, 1000.0}};
        for (int axis : new int[]{0, 1}) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.DOUBLE, 2, 3);
            LogSoftmax.apply(x, axis).rename("y");
            INDArray y = sd.output(Map.of("x", Nd4j.createFromArray(z)), "y").get("y");
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    // log softmax by hand, with the max of the slice taken out as log-sum-exp does
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < (axis == 0 ? 2 : 3); k++) {
                        max = Math.max(max, axis == 0 ? z[k][c] : z[r][k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < (axis == 0 ? 2 : 3); k++) {
                        sum += Math.exp((axis == 0 ? z[k][c] : z[r][k]) - max);
                    }
                    assertEquals(z[r][c] - max - Math.log(sum), y.getDouble(r, c), 1e-12, "axis " + axis + " (" + r + "," + c + ")");
                }
            }
        }
        // row 0 along axis 1, against values worked out by hand: log(e^k / (e + e^2 + e^3))
        double lse = Math.log(Math.E + Math.exp(2) + Math.exp(3));
        SameDiff sd = SameDiff.create();
        LogSoftmax.apply(sd.constant(Nd4j.createFromArray(new double[][]{{1, 2, 3}})), 1).rename("y");
        INDArray y = sd.output(Map.of(), "y").get("y");
        assertEquals(3 - lse, y.getDouble(0, 2), 1e-12);
        assertEquals(-0.40760596444438, y.getDouble(0, 2), 1e-12);
    }
}
