package org.mqn4j.fusion;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/** Manual: 3x3 conv forward+backward speed by layout. Not a test. */
public final class ConvSpeed {
    public static void main(String[] args) {
        int b = 8, h = 24, w = 24, in = 48, out = 16;
        for (String mode : new String[]{"NHWC", "shiftsum", "NHWC", "shiftsum", "NHWC", "shiftsum"}) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, b, h, w, in));
            SDVariable wt = sd.var("w", Nd4j.randn(DataType.FLOAT, out, in, 3, 3).muli(0.05));
            SDVariable y;
            if (mode.equals("shiftsum")) {
                // Z = X·[W_0 … W_8] (one matmul), then Y = Σ_k shift_k(Z_k) by slicing the zero-padded Z
                SDVariable k = wt.permute(1, 2, 3, 0).reshape(in, 9L * out);            // [in, (ky,kx,out)]
                SDVariable z = sd.mmul(x.reshape(-1, in), k).reshape(-1, h, w, 9L * out);
                SDVariable zp = sd.nn.pad(z, sd.constant(Nd4j.createFromArray(new int[][]{{0, 0}, {1, 1}, {1, 1}, {0, 0}})), 0.0);
                SDVariable acc = null;
                for (int dy = 0; dy < 3; dy++) for (int dx = 0; dx < 3; dx++) {
                    int kk = dy * 3 + dx;
                    SDVariable part = zp.get(SDIndex.all(), SDIndex.interval(dy, dy + h), SDIndex.interval(dx, dx + w),
                            SDIndex.interval((long) kk * out, (long) (kk + 1) * out));
                    acc = acc == null ? part : acc.add(part);
                }
                y = acc;
            } else if (mode.equals("slices")) {
                SDVariable xp = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][]{{0, 0}, {1, 1}, {1, 1}, {0, 0}})), 0.0);
                SDVariable[] parts = new SDVariable[9];
                for (int dy = 0; dy < 3; dy++) for (int dx = 0; dx < 3; dx++)
                    parts[dy * 3 + dx] = xp.get(SDIndex.all(), SDIndex.interval(dy, dy + h), SDIndex.interval(dx, dx + w), SDIndex.all());
                SDVariable cols = sd.concat(3, parts).reshape(-1, 9L * in);
                SDVariable k = wt.permute(2, 3, 1, 0).reshape(9L * in, out);
                y = sd.mmul(cols, k).reshape(-1, h, w, out);
            } else {
                boolean nchw = mode.equals("NCHW");
                Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
                        .paddingMode(PaddingMode.VALID).dataFormat(mode).build();
                SDVariable xi = nchw ? x.permute(0, 3, 1, 2) : x;
                y = sd.cnn.conv2d(xi, wt.permute(2, 3, 1, 0), conv);
                if (nchw) y = y.permute(0, 2, 3, 1);
            }
            SDVariable loss = y.mul(y).mean().rename("loss");
            sd.setLossVariables(loss);
            for (int i = 0; i < 3; i++) sd.calculateGradients(Map.of(), "x", "w");
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long t = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 20; i++) sd.calculateGradients(Map.of(), "x", "w");
            long t2 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 20; i++) sd.output(Map.of(), "loss");
            System.out.printf("%-7s fwd+bwd %.1f ms, fwd %.1f ms (thread CPU)%n", mode, (t2 - t) / 2e7, (mx.getCurrentThreadCpuTime() - t2) / 2e7);
        }
    }
}
