package org.mqn4j.fusion;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the loss tests share: backprop against central differences, and the target's share of a stage cell by hand. */
final class LossChecks {
    private LossChecks() {
    }

    /**
     * Every {@code every}-th entry of each named variable: the gradient of {@code loss} from backprop equals
     * (loss(x+h) − loss(x−h)) / 2h with h = 1e-6, within 1e-7 (double precision graphs). GradCheckUtil would
     * also ask for the label placeholders' gradients.
     */
    static void gradientsMatchCentralDifferences(SameDiff sd, Map<String, INDArray> ph, int every, String... names) {
        Map<String, INDArray> grads = sd.calculateGradients(ph, names);
        for (String name : names) {
            INDArray v = sd.getVariable(name).getArr();
            INDArray flat = v.reshape(v.length());
            for (long j = 0; j < v.length(); j += every) {
                double x = flat.getDouble(j);
                flat.putScalar(j, x + 1e-6);
                double up = sd.output(ph, "loss").get("loss").getDouble(0);
                flat.putScalar(j, x - 1e-6);
                double down = sd.output(ph, "loss").get("loss").getDouble(0);
                flat.putScalar(j, x);
                assertEquals((up - down) / 2e-6, grads.get(name).reshape(v.length()).getDouble(j), 1e-7, name + "[" + j + "]");
            }
        }
    }

    /** The share of target pixels in cell (r, c) of stride k of sample b of target [B,1,S,S]; pixels past S count as 0. */
    static double cellShare(INDArray target, int b, int r, int c, int k) {
        int size = (int) target.size(2);
        double g = 0;
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                int y = r * k + dy, x = c * k + dx;
                g += y < size && x < size ? target.getDouble(b, 0, y, x) : 0;
            }
        }
        return g / (k * k);
    }
}
