package org.mqn4j.util;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PeakMemoryTest {
    /** A 256 MB off-heap array written in full must raise the peak RSS by about that much; heap stays small. */
    @Test
    void seesOffHeapPeak() {
        assertTrue(PeakMemory.reset(), "Linux lets a process reset its own VmHWM");
        long before = PeakMemory.peakRssBytes();
        assertTrue(before > 0 && PeakMemory.rssBytes() > 0);
        INDArray big = Nd4j.zeros(DataType.FLOAT, 64L << 20).addi(1); // 256 MB, every page touched
        long peak = PeakMemory.peakRssBytes();
        assertTrue(peak - before > 200L << 20, "peak grew by " + ((peak - before) >> 20) + " MB");
        assertTrue(peak >= PeakMemory.rssBytes() - (16L << 20));
        assertTrue(big.getFloat(big.length() - 1) == 1f); // keeps the array alive up to here
        assertTrue(PeakMemory.peakHeapBytes() > 0);
    }
}
