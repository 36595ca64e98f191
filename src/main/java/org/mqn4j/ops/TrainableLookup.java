package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row lookup {@code table[indices]} whose gradient reaches the table. ND4J's {@code gather} has a
 * broken gradient in M2.1, so the lookup is {@code oneHot(indices) · table}: the one-hot matrix
 * is [n, rows] (for 512 tokens over a 21k vocabulary, 43 MB in float), the product an ordinary
 * mmul whose gradient is {@code oneHotᵀ · dOut}.
 */
public final class TrainableLookup {
    private TrainableLookup() {
    }

    /**
     * Looks up integer {@code indices} (a placeholder or any integer variable, any shape S) in
     * {@code table} [rows, C]; the result has shape S + [C]. Indices outside [0, rows) give zero rows.
     */
    public static SDVariable lookup(SameDiff sd, String name, SDVariable table, SDVariable indices, int rows) {
        long width = table.getShape()[1];
        SDVariable oneHot = sd.oneHot(indices, rows, -1, 1.0, 0.0, table.dataType()).reshape(-1, rows);
        SDVariable flat = sd.mmul(oneHot, table);
        SDVariable outShape = sd.concat(0, indices.shape().castTo(org.nd4j.linalg.api.buffer.DataType.LONG),
                sd.constant(Nd4j.createFromArray(width)));
        return flat.reshape(outShape).rename(name);
    }

    /**
     * Looks up constant {@code indices} (known when the graph is built) in {@code table} [rows, C];
     * the result is [indices.length, C]. The one-hot matrix is a graph constant named
     * {@code oneHotName}; lookups that pass the same name and indices share it.
     */
    public static SDVariable lookupConstant(SameDiff sd, String name, SDVariable table, long[] indices, int rows,
                                            String oneHotName) {
        SDVariable oneHot;
        if (sd.hasVariable(oneHotName)) {
            oneHot = sd.getVariable(oneHotName);
        } else {
            INDArray m = Nd4j.zeros(table.dataType(), indices.length, rows);
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= rows) {
                    throw new IllegalArgumentException(name + ": index " + indices[i] + " outside table of " + rows + " rows");
                }
                m.putScalar(i, indices[i], 1.0);
            }
            oneHot = sd.constant(oneHotName, m);
        }
        return sd.mmul(name, oneHot, table);
    }
}
