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

class CyclicShiftTest {

    /** Against torch.roll's definition: out[(i+sh) mod H, (j+sw) mod W] = x[i, j]. */
    @Test
    void matchesRollDefinition() {
        int h = 5, w = 4, c = 2;
        INDArray x = Nd4j.arange(2 * h * w * c).castTo(DataType.FLOAT).reshape(2, h, w, c);
        int[][] shifts = {{-2, -1}, {2, 1}, {0, 3}, {7, -5}, {0, 0}};
        for (int[] s : shifts) {
            SameDiff sd = SameDiff.create();
            CyclicShift.roll(sd, "y", sd.placeHolder("x", DataType.FLOAT, -1, h, w, c), h, w, s[0], s[1]);
            INDArray y = sd.output(Map.of("x", x), "y").get("y");
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        for (int k = 0; k < c; k++) {
                            assertEquals(x.getDouble(b, i, j, k),
                                    y.getDouble(b, Math.floorMod(i + s[0], h), Math.floorMod(j + s[1], w), k),
                                    "shift " + s[0] + "," + s[1]);
                        }
                    }
                }
            }
        }
    }

    /** torch.roll(torch.arange(12).view(1,3,4,1), shifts=(-1,-2), dims=(1,2)). */
    @Test
    void matchesTorchValues() {
        SameDiff sd = SameDiff.create();
        CyclicShift.roll(sd, "y", sd.placeHolder("x", DataType.FLOAT, -1, 3, 4, 1), 3, 4, -1, -2);
        INDArray y = sd.output(Map.of("x", Nd4j.arange(12).castTo(DataType.FLOAT).reshape(1, 3, 4, 1)), "y").get("y");
        float[] torch = {6, 7, 4, 5, 10, 11, 8, 9, 2, 3, 0, 1};
        assertEquals(Nd4j.createFromArray(torch).reshape(1, 3, 4, 1), y);
    }

    @Test
    void gradientCheckAndSaveLoad(@TempDir Path dir) throws Exception {
        Nd4j.getRandom().setSeed(3);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, 2, 4, 5, 2));
        SDVariable v = sd.var("v", Nd4j.randn(DataType.DOUBLE, 1, 4, 5, 2));
        SDVariable y = CyclicShift.roll(sd, "y", x.mul(v), 4, 5, -1, 2);
        OpChecks.weightedSumLoss(sd, y, 2, 4, 5, 2);
        Map<String, INDArray> ph = Map.of();
        OpChecks.assertGradientsMatch(sd, ph);
        OpChecks.assertSaveLoadRoundTrip(sd, dir, ph, "y", "v");
    }
}
