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

class GeluTest {
    private static final double[] X = {-4.0, -2.5, -1.0, -0.3, 0.0, 0.2, 0.7, 1.5, 3.0, 5.0};
    /** torch.nn.functional.gelu(x) in float64 (torch 1.13). */
    private static final double[] TORCH = {-0.00012668496733247991, -0.015524163314440398, -0.15865525393145702,
            -0.1146265733433142, 0.0, 0.11585194188782061, 0.5306254434438489, 1.399789198096713, 2.99595030590511,
            4.999998566742141};

    private static SameDiff graph(DataType dt) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", dt, -1, X.length);
        Gelu.exact(sd, "y", x);
        return sd;
    }

    @Test
    void matchesTorchInFloatAndDouble() {
        for (DataType dt : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            SameDiff sd = graph(dt);
            INDArray y = sd.output(Map.of("x", Nd4j.createFromArray(new double[][]{X}).castTo(dt)), "y").get("y");
            double tol = dt == DataType.FLOAT ? 1e-6 : 1e-12;
            for (int i = 0; i < X.length; i++) {
                assertEquals(TORCH[i], y.getDouble(0, i), tol, "gelu(" + X[i] + ") in " + dt);
            }
        }
    }

    @Test
    void gradientCheckAndSaveLoad(@TempDir Path dir) throws Exception {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.createFromArray(new double[][]{X, {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9, -1.0}}));
        SDVariable y = Gelu.exact(sd, "y", x);
        OpChecks.weightedSumLoss(sd, y, 2, X.length);
        OpChecks.assertGradientsMatch(sd, Map.of());
        OpChecks.assertSaveLoadRoundTrip(sd, dir, Map.of(), "y", "x");
    }
}
