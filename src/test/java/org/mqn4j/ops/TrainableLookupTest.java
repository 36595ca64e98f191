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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainableLookupTest {

    @Test
    void placeholderIndicesSelectRows() {
        Nd4j.getRandom().setSeed(4);
        INDArray table = Nd4j.randn(DataType.FLOAT, 7, 3);
        INDArray ids = Nd4j.createFromArray(new int[][]{{0, 6, 2, 2}, {5, 1, 0, 3}});
        SameDiff sd = SameDiff.create();
        TrainableLookup.lookup(sd, "y", sd.constant("t", table), sd.placeHolder("ids", DataType.INT, -1, 4), 7);
        INDArray y = sd.output(Map.of("ids", ids), "y").get("y");
        assertArrayEquals(new long[]{2, 4, 3}, y.shape());
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 4; t++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(table.getDouble(ids.getInt(b, t), c), y.getDouble(b, t, c), 0.0);
                }
            }
        }
    }

    @Test
    void constantIndicesSelectRowsAndShareOneHot() {
        INDArray table = Nd4j.arange(10).castTo(DataType.FLOAT).reshape(5, 2);
        long[] idx = {4, 0, 0, 3};
        SameDiff sd = SameDiff.create();
        SDVariable t = sd.constant("t", table);
        TrainableLookup.lookupConstant(sd, "y", t, idx, 5, "oh");
        TrainableLookup.lookupConstant(sd, "z", t.mul(2), idx, 5, "oh");
        Map<String, INDArray> out = sd.output(Map.of(), "y", "z");
        assertEquals(Nd4j.createFromArray(new float[][]{{8, 9}, {0, 1}, {0, 1}, {6, 7}}), out.get("y"));
        assertEquals(out.get("y").mul(2), out.get("z"));
    }

    /** Gradient reaches the table through placeholder indices, with repeated indices (sums). */
    @Test
    void gradientCheckPlaceholderIndicesAndSaveLoad(@TempDir Path dir) throws Exception {
        Nd4j.getRandom().setSeed(5);
        SameDiff sd = SameDiff.create();
        SDVariable table = sd.var("table", Nd4j.randn(DataType.DOUBLE, 6, 3));
        SDVariable y = TrainableLookup.lookup(sd, "y", table, sd.placeHolder("ids", DataType.INT, -1, 3), 6);
        OpChecks.weightedSumLoss(sd, y, 2, 3, 3);
        Map<String, INDArray> ph = Map.of("ids", Nd4j.createFromArray(new int[][]{{1, 1, 5}, {0, 5, 2}}));
        OpChecks.assertGradientsMatch(sd, ph);
        OpChecks.assertSaveLoadRoundTrip(sd, dir, ph, "y", "table");
        // hand check: row 4 is never used, so its gradient is zero; row 1 is used twice
        INDArray g = sd.calculateGradients(ph, "table").get("table");
        assertEquals(0.0, g.getRow(4).sumNumber().doubleValue(), 0.0);
    }

    @Test
    void gradientCheckConstantIndicesAndSaveLoad(@TempDir Path dir) throws Exception {
        Nd4j.getRandom().setSeed(6);
        SameDiff sd = SameDiff.create();
        SDVariable table = sd.var("table", Nd4j.randn(DataType.DOUBLE, 4, 2));
        SDVariable y = TrainableLookup.lookupConstant(sd, "y", table, new long[]{3, 3, 0, 1, 2}, 4, "oh");
        OpChecks.weightedSumLoss(sd, y, 5, 2);
        OpChecks.assertGradientsMatch(sd, Map.of());
        OpChecks.assertSaveLoadRoundTrip(sd, dir, Map.of(), "y", "table");
    }

    /**
     * Token-embedding size (vocabulary 21,128, 512 tokens): the gradient of sum(out ⊙ R) for row r is
     * the sum of R over the positions holding token r, checked against that hand computation.
     */
    @Test
    void vocabularySizedGradientIsSumOverPositions() {
        int vocab = 21128, c = 16;
        Nd4j.getRandom().setSeed(8);
        java.util.Random random = new java.util.Random(8);
        int[][] ids = new int[8][64];
        for (int[] row : ids) {
            for (int t = 0; t < row.length; t++) {
                row[t] = random.nextInt(40) * 500; // repeats, spread over the table
            }
        }
        SameDiff sd = SameDiff.create();
        SDVariable table = sd.var("table", Nd4j.randn(DataType.FLOAT, vocab, c));
        SDVariable y = TrainableLookup.lookup(sd, "y", table, sd.placeHolder("ids", DataType.INT, -1, 64), vocab);
        INDArray r = Nd4j.rand(DataType.FLOAT, 8, 64, c);
        sd.setLossVariables(y.mul(sd.constant(r)).sum().rename("loss"));
        INDArray g = sd.calculateGradients(Map.of("ids", Nd4j.createFromArray(ids)), "table").get("table");
        INDArray expect = Nd4j.zeros(DataType.FLOAT, vocab, c);
        for (int b = 0; b < 8; b++) {
            for (int t = 0; t < 64; t++) {
                expect.getRow(ids[b][t]).addi(r.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(t), org.nd4j.linalg.indexing.NDArrayIndex.all()));
            }
        }
        assertEquals(0.0, g.sub(expect).norm2Number().doubleValue(), 1e-3);
    }
}
