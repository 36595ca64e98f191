package org.mqn4j.swin;

import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torchvision's {@code PatchMerging}: pad an odd H or W with one zero row/column, concatenate
 * x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2] on channels, {@code norm} (4C), then
 * {@code reduction} (4C → 2C, no bias). [B, h, w, C] → [B, ⌈h/2⌉, ⌈w/2⌉, 2C].
 */
public final class PatchMerging {
    private PatchMerging() {
    }

    public static SDVariable apply(Params p, String prefix, SDVariable x, int h, int w, int dim, double eps) {
        SameDiff sd = p.sameDiff();
        int ph = h + h % 2;
        int pw = w + w % 2;
        if (ph != h || pw != w) {
            x = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][]{{0, 0}, {0, h % 2}, {0, w % 2}, {0, 0}})), 0.0);
        }
        SDVariable x0 = every2(x, 0, 0, ph, pw);
        SDVariable x1 = every2(x, 1, 0, ph, pw);
        SDVariable x2 = every2(x, 0, 1, ph, pw);
        SDVariable x3 = every2(x, 1, 1, ph, pw);
        SDVariable y = sd.concat(3, x0, x1, x2, x3);
        y = p.layerNorm(prefix + ".norm", y, 4L * dim, eps);
        return p.linear(prefix + ".reduction", y, 4L * dim, 2L * dim, false, -1, ph / 2, pw / 2, 2L * dim);
    }

    private static SDVariable every2(SDVariable x, long row, long col, int ph, int pw) {
        return x.get(SDIndex.all(), SDIndex.interval(row, 2L, (long) ph), SDIndex.interval(col, 2L, (long) pw), SDIndex.all());
    }
}
