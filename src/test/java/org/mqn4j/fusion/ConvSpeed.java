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
        int b = 8, h = 24, w = 24, in = 64, out = 32;
        for (String mode : new String[]{"NHWC", "NCHW", "slices", "NHWC", "NCHW", "slices"}) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, b, h, w, in));
            SDVariable wt = sd.var("w", Nd4j.randn(DataType.FLOAT, out, in, 3, 3).muli(0.05));
            SDVariable y;
            if (mode.equals("slices")) {
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
            long t = System.nanoTime();
            for (int i = 0; i < 10; i++) sd.calculateGradients(Map.of(), "x", "w");
            long t2 = System.nanoTime();
            for (int i = 0; i < 10; i++) sd.output(Map.of(), "loss");
            System.out.printf("%-7s fwd+bwd %.1f ms, fwd %.1f ms%n", mode, (t2 - t) / 1e7, (System.nanoTime() - t2) / 1e7);
        }
    }
}
