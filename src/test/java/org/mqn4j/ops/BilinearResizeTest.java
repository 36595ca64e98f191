package org.mqn4j.ops;

import org.junit.jupiter.api.Test;
import org.mqn4j.io.SafetensorsFile;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BilinearResizeTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/mqn/bilinear.safetensors");

    /** Against torch F.interpolate(bilinear, align_corners=False) (tools/mqn_fixtures.py): up, down, odd sizes. */
    @Test
    void matchesTorchInterpolate() {
        try (SafetensorsFile f = SafetensorsFile.open(FIXTURE)) {
            INDArray x = f.get("x").dup();
            int checked = 0;
            for (String name : f.names()) {
                if (!name.startsWith("out_")) {
                    continue;
                }
                INDArray want = f.get(name).dup();
                SameDiff sd = SameDiff.create();
                SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, 5, 7, 3);
                BilinearResize.resize(sd, "y", in, 5, 7, 3, (int) want.size(1), (int) want.size(2));
                INDArray got = sd.output(Map.of("x", x), "y").get("y");
                assertArrayEquals(want.shape(), got.shape(), name);
                double err = got.sub(want).amaxNumber().doubleValue();
                assertTrue(err < 1e-12, name + ": max error " + err);
                checked++;
            }
            assertEquals(5, checked);
        }
    }

    /** Hand case: 2 → 4 gives weights ¾,¼ between neighbours and clamps at the borders. */
    @Test
    void matrixByHand() {
        double[][] r = BilinearResize.matrix(2, 4);
        assertArrayEquals(new double[]{1, 0}, r[0], 1e-15);
        assertArrayEquals(new double[]{0.75, 0.25}, r[1], 1e-15);
        assertArrayEquals(new double[]{0.25, 0.75}, r[2], 1e-15);
        assertArrayEquals(new double[]{0, 1}, r[3], 1e-15);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(3);
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, 2, 3, 5, 2));
        SDVariable y = BilinearResize.resize(sd, "y", x, 3, 5, 2, 7, 4);
        OpChecks.weightedSumLoss(sd, y, 2, 7, 4, 2);
        OpChecks.assertGradientsMatch(sd, Map.of());
    }
}
