package org.mqn4j.text;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Encoded titles as [B, T] arrays (row b is title b, T the tokenizer's length): input ids,
 * attention mask and token type ids, with conversions to the INDArrays a text encoder graph reads;
 * {@code length} is T (so an empty batch still has shape [0, T]).
 */
public record EncodedBatch(int[][] ids, int[][] attentionMask, int[][] tokenTypeIds, int length) {

    public int batchSize() {
        return ids.length;
    }

    public long[][] idsAsLong() {
        return toLong(ids);
    }

    /** Input ids [B, T] as INT64 (HF's dtype). */
    public INDArray inputIds() {
        return toArray(ids, DataType.INT64);
    }

    /** Input ids [B, T] in the given type, e.g. INT32 for a gather. */
    public INDArray inputIds(DataType type) {
        return toArray(ids, type);
    }

    /** Attention mask [B, T] (1 real, 0 padding) in the given type, e.g. FLOAT for the graph. */
    public INDArray attentionMask(DataType type) {
        return toArray(attentionMask, type);
    }

    /** Token type ids [B, T] (all 0) in the given type. */
    public INDArray tokenTypeIds(DataType type) {
        return toArray(tokenTypeIds, type);
    }

    private static long[][] toLong(int[][] a) {
        long[][] out = new long[a.length][];
        for (int b = 0; b < a.length; b++) {
            out[b] = new long[a[b].length];
            for (int t = 0; t < a[b].length; t++) {
                out[b][t] = a[b][t];
            }
        }
        return out;
    }

    private INDArray toArray(int[][] a, DataType type) {
        int t = length;
        int[] flat = new int[a.length * t];
        for (int b = 0; b < a.length; b++) {
            System.arraycopy(a[b], 0, flat, b * t, t);
        }
        if (flat.length == 0) {
            return Nd4j.create(type, a.length, t);
        }
        return Nd4j.createFromArray(flat).reshape('c', a.length, t).castTo(type);
    }
}
