package org.mqn4j.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * How far an output is from its reference: the largest absolute difference and the relative
 * error ‖out − ref‖ / ‖ref‖ (Frobenius norms, computed in double).
 */
public record TensorDiff(String name, double maxAbs, double relative) {

    /** Compares {@code out} with {@code ref}; their shapes must be equal. */
    public static TensorDiff of(String name, INDArray out, INDArray ref) {
        if (!Arrays.equals(out.shape(), ref.shape())) {
            throw new MqnException("'" + name + "': output shape " + Arrays.toString(out.shape())
                    + " differs from the reference's " + Arrays.toString(ref.shape()));
        }
        INDArray o = out.castTo(DataType.DOUBLE);
        INDArray r = ref.castTo(DataType.DOUBLE);
        INDArray d = o.sub(r);
        double maxAbs = d.length() == 0 ? 0 : d.amaxNumber().doubleValue();
        double refNorm = r.norm2Number().doubleValue();
        double diffNorm = d.norm2Number().doubleValue();
        double rel = refNorm == 0 ? (diffNorm == 0 ? 0 : Double.POSITIVE_INFINITY) : diffNorm / refNorm;
        if (Double.isNaN(maxAbs) || Double.isNaN(rel)) {
            maxAbs = Double.NaN;
            rel = Double.NaN;
        }
        return new TensorDiff(name, maxAbs, rel);
    }

    /** Whether the relative error is at most {@code tolerance} (NaN never passes). */
    public boolean within(double tolerance) {
        return relative <= tolerance;
    }
}
