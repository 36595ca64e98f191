package org.mqn4j.io;

import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Windows onto the off-heap memory of an ND4J array, for arrays of any size (also over 2 GB). */
final class NativeBytes {
    /** Largest window handed out at once: 1 GiB, a multiple of every element size. */
    static final int CHUNK = 1 << 30;

    /** The chunk size in use; tests shrink it (to a multiple of 8) to exercise the chunked paths. */
    static int chunk = CHUNK;

    private NativeBytes() {
    }

    /**
     * A little-endian view of {@code length} bytes at {@code offset} into the memory of a dense,
     * C-ordered array with no offset of its own (as created by {@code Nd4j.createUninitialized}).
     */
    static ByteBuffer window(INDArray array, long offset, int length) {
        long total = array.length() * array.dataType().width();
        if (offset < 0 || length < 0 || offset + length > total) {
            throw new IllegalArgumentException("window [" + offset + ", " + (offset + length) + ") outside " + total + " bytes");
        }
        BytePointer p = new BytePointer(array.data().addressPointer());
        p.capacity(total);
        p.position(offset).limit(offset + length);
        return p.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
