package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@code torch.roll(x, shifts=(sh, sw), dims=(1, 2))} for a channels-last map [B,H,W,C], made of
 * slices and concatenations so that it has a gradient (ND4J's {@code Roll} has none) and survives
 * save/load. H and W must be known when the graph is built; the batch may be dynamic.
 */
public final class CyclicShift {
    private CyclicShift() {
    }

    /**
     * Rolls {@code x} [B,H,W,C] by {@code shiftH} rows and {@code shiftW} columns: element (i, j)
     * moves to ((i + shiftH) mod H, (j + shiftW) mod W). Negative shifts roll the other way.
     */
    public static SDVariable roll(SameDiff sd, String name, SDVariable x, int height, int width, int shiftH, int shiftW) {
        SDVariable y = rollAxis(sd, x, 1, height, shiftH);
        y = rollAxis(sd, y, 2, width, shiftW);
        return sd.identity(name, y);
    }

    private static SDVariable rollAxis(SameDiff sd, SDVariable x, int axis, int size, int shift) {
        int s = Math.floorMod(shift, size);
        if (s == 0) {
            return x;
        }
        // out = concat(x[size-s:], x[:size-s]) along axis
        SDVariable tail = x.get(index(axis, SDIndex.interval(size - s, size)));
        SDVariable head = x.get(index(axis, SDIndex.interval(0, size - s)));
        return sd.concat(axis, tail, head);
    }

    private static SDIndex[] index(int axis, SDIndex range) {
        SDIndex[] idx = {SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.all()};
        idx[axis] = range;
        return idx;
    }
}
