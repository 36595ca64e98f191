package org.mqn4j.swin;

import org.mqn4j.ops.CyclicShift;
import org.mqn4j.ops.Params;
import org.mqn4j.ops.TrainableLookup;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shifted-window multi-head self-attention with relative position bias, as torchvision 0.14's
 * {@code ShiftedWindowAttention} / {@code shifted_window_attention}: pad H and W with zeros to a
 * multiple of the window, roll by −shift (no shift along a dimension the window covers), attend
 * within windows (qkv, scaled dot product + bias table + mask for shifted windows, softmax,
 * proj), reverse the windows and the roll, crop the padding. Parameters: {@code prefix.qkv},
 * {@code prefix.proj}, {@code prefix.relative_position_bias_table}.
 */
public final class WindowAttention {
    private WindowAttention() {
    }

    /**
     * @param x      [B, h, w, dim] (B dynamic)
     * @param shift  the block's shift (0 or window/2), dropped per dimension as torchvision does
     * @return [B, h, w, dim]
     */
    public static SDVariable apply(Params p, String prefix, SDVariable x, int h, int w, int dim, int heads,
                                   int window, int shift) {
        SameDiff sd = p.sameDiff();
        int padB = (window - h % window) % window;
        int padR = (window - w % window) % window;
        int ph = h + padB;
        int pw = w + padR;
        int shiftH = window >= ph ? 0 : shift;
        int shiftW = window >= pw ? 0 : shift;
        int nH = ph / window;
        int nW = pw / window;
        int n = window * window;
        int hd = dim / heads;

        SDVariable y = x;
        if (padB > 0 || padR > 0) {
            INDArray pads = Nd4j.createFromArray(new int[][]{{0, 0}, {0, padB}, {0, padR}, {0, 0}});
            y = sd.nn.pad(y, sd.constant(pads), 0.0);
        }
        if (shiftH > 0 || shiftW > 0) {
            y = CyclicShift.roll(sd, prefix + ".roll", y, ph, pw, -shiftH, -shiftW);
        }
        // partition windows: [B, nH, ws, nW, ws, C] -> [B*nWin, N, C]
        y = y.reshape(-1, nH, window, nW, window, dim).permute(0, 1, 3, 2, 4, 5).reshape(-1, n, dim);

        SDVariable qkv = p.linear(prefix + ".qkv", y, dim, 3L * dim, true, -1, n, 3, heads, hd);
        SDVariable q = heads(qkv, 0).mul(1.0 / Math.sqrt(hd));
        SDVariable k = heads(qkv, 1);
        SDVariable v = heads(qkv, 2);
        SDVariable attn = sd.mmul(q, k, false, true, false); // [B*nWin, heads, N, N]

        int tableRows = (2 * window - 1) * (2 * window - 1);
        SDVariable table = p.truncNormal(prefix + ".relative_position_bias_table", 0.02, tableRows, heads);
        SDVariable bias = TrainableLookup.lookupConstant(sd, prefix + ".relative_position_bias", table,
                relativePositionIndex(window), tableRows, "relative_position_onehot_w" + window);
        attn = attn.add(bias.reshape(n, n, heads).permute(2, 0, 1));

        if (shiftH > 0 || shiftW > 0) {
            String maskName = "attn_mask_" + ph + "x" + pw + "_w" + window + "_s" + shiftH + "_" + shiftW;
            SDVariable mask = sd.hasVariable(maskName) ? sd.getVariable(maskName)
                    : sd.constant(maskName, attentionMask(ph, pw, window, shiftH, shiftW)
                            .reshape(1, nH * nW, 1, n, n).castTo(p.dataType()));
            attn = attn.reshape(-1, nH * nW, heads, n, n).add(mask).reshape(-1, heads, n, n);
        }
        attn = sd.nn.softmax(attn, 3);

        y = sd.mmul(attn, v).permute(0, 2, 1, 3).reshape(-1, n, dim); // [B*nWin, N, C]
        y = p.linear(prefix + ".proj", y, dim, dim, true, -1, nH, nW, window, window, dim);
        // reverse windows: [B, nH, nW, ws, ws, C] -> [B, pH, pW, C]
        y = y.permute(0, 1, 3, 2, 4, 5).reshape(-1, ph, pw, dim);
        if (shiftH > 0 || shiftW > 0) {
            y = CyclicShift.roll(sd, prefix + ".unroll", y, ph, pw, shiftH, shiftW);
        }
        if (padB > 0 || padR > 0) {
            y = y.get(SDIndex.all(), SDIndex.interval(0, h), SDIndex.interval(0, w), SDIndex.all());
        }
        return y;
    }

    /** q, k or v as [B*nWin, heads, N, hd] from qkv [B*nWin, N, 3, heads, hd]. */
    private static SDVariable heads(SDVariable qkv, int which) {
        return qkv.get(SDIndex.all(), SDIndex.all(), SDIndex.point(which), SDIndex.all(), SDIndex.all())
                .permute(0, 2, 1, 3);
    }

    /**
     * torchvision's {@code relative_position_index} for a square window: for tokens i=(yi,xi) and
     * j=(yj,xj), (yi−yj+ws−1)·(2ws−1) + (xi−xj+ws−1), flattened over [N, N].
     */
    public static long[] relativePositionIndex(int window) {
        int n = window * window;
        long[] idx = new long[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int dy = i / window - j / window + window - 1;
                int dx = i % window - j % window + window - 1;
                idx[i * n + j] = (long) dy * (2 * window - 1) + dx;
            }
        }
        return idx;
    }

    /**
     * The shifted-window attention mask [nWin, N, N] (0 or −100) over a padded map, computed as
     * torchvision does it, with Python's slice semantics (so a zero shift along one dimension
     * behaves as in torchvision).
     */
    public static INDArray attentionMask(int ph, int pw, int window, int shiftH, int shiftW) {
        int[] region = new int[ph * pw];
        int[][] hs = {{0, -window}, {-window, -shiftH}, {-shiftH, Integer.MAX_VALUE}};
        int[][] ws = {{0, -window}, {-window, -shiftW}, {-shiftW, Integer.MAX_VALUE}};
        int count = 0;
        for (int[] hsl : hs) {
            for (int[] wsl : ws) {
                int h0 = pyIndex(hsl[0], ph);
                int h1 = pyIndex(hsl[1], ph);
                int w0 = pyIndex(wsl[0], pw);
                int w1 = pyIndex(wsl[1], pw);
                for (int r = h0; r < h1; r++) {
                    for (int c = w0; c < w1; c++) {
                        region[r * pw + c] = count;
                    }
                }
                count++;
            }
        }
        int nH = ph / window;
        int nW = pw / window;
        int n = window * window;
        float[][][] mask = new float[nH * nW][n][n];
        for (int wy = 0; wy < nH; wy++) {
            for (int wx = 0; wx < nW; wx++) {
                int win = wy * nW + wx;
                for (int i = 0; i < n; i++) {
                    int ri = region[(wy * window + i / window) * pw + wx * window + i % window];
                    for (int j = 0; j < n; j++) {
                        int rj = region[(wy * window + j / window) * pw + wx * window + j % window];
                        mask[win][i][j] = ri == rj ? 0f : -100f;
                    }
                }
            }
        }
        return Nd4j.createFromArray(mask);
    }

    /** A Python slice bound (negative counts from the end, MAX_VALUE is None) clamped to [0, size]. */
    private static int pyIndex(int i, int size) {
        if (i == Integer.MAX_VALUE) {
            return size;
        }
        int v = i < 0 ? size + i : i;
        return Math.max(0, Math.min(size, v));
    }
}
