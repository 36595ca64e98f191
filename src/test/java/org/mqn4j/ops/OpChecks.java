package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared checks for the ops tests: a double-precision gradient check and a save/load round trip. */
final class OpChecks {
    private OpChecks() {
    }

    /** Adds loss = sum(out ⊙ R) with a fixed random R, so that no gradient vanishes by symmetry. */
    static SDVariable weightedSumLoss(SameDiff sd, SDVariable out, long... shape) {
        Nd4j.getRandom().setSeed(7);
        SDVariable r = sd.constant("lossWeights", Nd4j.rand(DataType.DOUBLE, shape).subi(0.5));
        SDVariable loss = out.mul(r).sum().rename("loss");
        sd.setLossVariables(loss);
        return loss;
    }

    /** Finite differences against backprop for every variable and float placeholder, in double. */
    static void assertGradientsMatch(SameDiff sd, Map<String, INDArray> placeholders) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            boolean ok = GradCheckUtil.checkGradients(sd, placeholders, 1e-6, 1e-5, 1e-9, false, false);
            assertTrue(ok, "gradient check failed");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    /** sd.save → SameDiff.load: same output and same gradients for the given variables. */
    static void assertSaveLoadRoundTrip(SameDiff sd, Path dir, Map<String, INDArray> placeholders, String output,
                                        String... gradVars) throws Exception {
        File f = dir.resolve("op.sd").toFile();
        sd.save(f, false);
        SameDiff loaded = SameDiff.load(f, false);
        INDArray before = sd.output(placeholders, output).get(output);
        INDArray after = loaded.output(placeholders, output).get(output);
        assertEquals(before, after, "output changed across save/load");
        Map<String, INDArray> g1 = sd.calculateGradients(placeholders, gradVars);
        Map<String, INDArray> g2 = loaded.calculateGradients(placeholders, gradVars);
        for (String v : gradVars) {
            assertTrue(g2.get(v) != null && g2.get(v).sumNumber().doubleValue() != 0.0 || g1.get(v).sumNumber().doubleValue() == 0.0,
                    "no gradient for " + v + " after load");
            assertEquals(g1.get(v), g2.get(v), "gradient of " + v + " changed across save/load");
        }
    }
}
