package org.mqn4j.ops;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The in-graph channel-mean matching, against a hand-computed case and the properties it exists for. */
class ChannelMeanNormTest {
    private static final float[] MU = {0.485f, 0.456f, 0.406f};
    private static final float[] SIGMA = {0.229f, 0.224f, 0.225f};

    /** [B,3,s,s] pixel values in [0,1] to the network's ImageNet-normalised input. */
    private static INDArray normalise(INDArray raw) {
        INDArray x = raw.dup();
        for (int c = 0; c < 3; c++) {
            INDArray ch = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            ch.subi(MU[c]).divi(SIGMA[c]);
        }
        return x;
    }

    /** The op's output mapped back to [0,1] pixel values. */
    private static INDArray run(INDArray raw, int s, float[] target) {
        return run(raw, s, target, ChannelMeanNorm.Mode.MEANS);
    }

    private static INDArray run(INDArray raw, int s, float[] target, ChannelMeanNorm.Mode mode) {
        SameDiff sd = SameDiff.create();
        ChannelMeanNorm.apply(sd, "y", sd.placeHolder("x", DataType.FLOAT, -1, 3, s, s), s, target, mode, MU, SIGMA);
        INDArray y = sd.output(Map.of("x", normalise(raw)), "y").get("y");
        for (int c = 0; c < 3; c++) {
            INDArray ch = y.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            ch.muli(SIGMA[c]).addi(MU[c]);
        }
        return y;
    }

    /**
     * One 2x2 picture. R [0.2 0.4 0.6 0.8] has mean 0.5, target 153/255 = 0.6: gain 1.2. G [0.5 0.5 1 1] has mean 0.75,
     * target 0.5: gain 2/3. B [0.1 0.1 0.1 0.9] has mean 0.3, target 0.6: gain 2, and 1.8 stays above white (no clipping).
     */
    @Test
    void handComputedPicture() {
        INDArray raw = Nd4j.createFromArray(new float[]{0.2f, 0.4f, 0.6f, 0.8f, 0.5f, 0.5f, 1f, 1f, 0.1f, 0.1f, 0.1f, 0.9f})
                .reshape(1, 3, 2, 2);
        INDArray y = run(raw, 2, new float[]{153f, 127.5f, 153f});
        float[] want = {0.24f, 0.48f, 0.72f, 0.96f, 1 / 3f, 1 / 3f, 2 / 3f, 2 / 3f, 0.2f, 0.2f, 0.2f, 1.8f};
        float[] got = y.reshape(-1).toFloatVector();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 2e-6, "value " + i);
        }
    }

    /**
     * Dim warm light (a gain per channel, nothing clipped) gives the same input as the picture itself, and each
     * picture of a batch is matched on its own: its channel means become the target.
     */
    @Test
    void aChannelGainGivesTheSameInputAndMeansEqualTheTarget() {
        int s = 6;
        Nd4j.getRandom().setSeed(3);
        INDArray raw = Nd4j.rand(DataType.FLOAT, 2, 3, s, s).muli(0.5);
        INDArray dim = raw.dup();
        float[] gain = {0.5f, 0.8f, 1.0f};
        for (int c = 0; c < 3; c++) {
            dim.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).muli(gain[c]);
        }
        float[] target = {100f, 90f, 80f};
        INDArray a = run(raw, s, target);
        INDArray b = run(dim, s, target);
        assertEquals(0, a.sub(b).amaxNumber().doubleValue(), 1e-6);
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                double m = a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                        .meanNumber().doubleValue();
                assertEquals(target[c] / 255.0, m, 1e-6, "picture " + n + " channel " + c);
            }
        }
        // the second picture differed before: the test would fail if the op ignored its input's scale
        assertEquals(true, raw.sub(dim).amaxNumber().doubleValue() > 0.05);
    }

    /**
     * Mode colour, by hand: channel means (0.5, 0.75, 0.3) sum to 1.55; target (153, 127.5, 153) has proportions
     * (0.352941, 0.294118, 0.352941), so the gains are 0.352941·1.55/0.5 = 1.094118, 0.294118·1.55/0.75 = 0.607843
     * and 0.352941·1.55/0.3 = 1.823529.
     */
    @Test
    void colourModeHandComputed() {
        INDArray raw = Nd4j.createFromArray(new float[]{0.2f, 0.4f, 0.6f, 0.8f, 0.5f, 0.5f, 1f, 1f, 0.1f, 0.1f, 0.1f, 0.9f})
                .reshape(1, 3, 2, 2);
        float[] got = run(raw, 2, new float[]{153f, 127.5f, 153f}, ChannelMeanNorm.Mode.COLOUR).reshape(-1).toFloatVector();
        double[] g = {0.352941 * 1.55 / 0.5, 0.294118 * 1.55 / 0.75, 0.352941 * 1.55 / 0.3};
        float[] r = raw.reshape(-1).toFloatVector();
        for (int i = 0; i < 12; i++) {
            assertEquals(r[i] * g[i / 4], got[i], 2e-5, "value " + i);
        }
    }

    /**
     * Mode colour keeps brightness and removes the cast: the output's channel means sum to the input's and stand in
     * the target's proportions, and a warm, dim copy gives the plain picture's output scaled by the brightness ratio.
     */
    @Test
    void colourModeKeepsBrightnessAndRemovesTheCast() {
        int s = 6;
        Nd4j.getRandom().setSeed(5);
        INDArray raw = Nd4j.rand(DataType.FLOAT, 1, 3, s, s).muli(0.4).addi(0.05);
        INDArray warm = raw.dup();
        float[] gain = {0.9f, 0.7f, 0.5f};
        for (int c = 0; c < 3; c++) {
            warm.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).muli(gain[c]);
        }
        float[] target = {200f, 192f, 185f};
        INDArray a = run(raw, s, target, ChannelMeanNorm.Mode.COLOUR);
        INDArray b = run(warm, s, target, ChannelMeanNorm.Mode.COLOUR);
        double inSum = 0, outSum = 0, warmSum = 0;
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            inSum += raw.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).meanNumber().doubleValue();
            warmSum += warm.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).meanNumber().doubleValue();
            out[c] = a.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).meanNumber().doubleValue();
            outSum += out[c];
        }
        assertEquals(inSum, outSum, 1e-5);
        for (int c = 0; c < 3; c++) {
            assertEquals(target[c] / 577.0, out[c] / outSum, 1e-5, "channel " + c);
        }
        assertEquals(0, b.sub(a.mul(warmSum / inSum)).amaxNumber().doubleValue(), 1e-5);
    }

    /**
     * Mode highlights, by hand: R [0 0 0 0.8] has power mean (0.8^32/4)^(1/32) = 0.8·4^(-1/32) = 0.766083, G is constant
     * 0.5 (power mean 0.5), B [0.1 0.1 0.1 0.9] has ((3·0.1^32 + 0.9^32)/4)^(1/32) = 0.861843. Targets (153, 127.5, 102).
     * A per-channel gain gives the same output: the property dim light needs.
     */
    @Test
    void highlightsModeHandComputedAndBlindToAChannelGain() {
        INDArray raw = Nd4j.createFromArray(new float[]{0f, 0f, 0f, 0.8f, 0.5f, 0.5f, 0.5f, 0.5f, 0.1f, 0.1f, 0.1f, 0.9f})
                .reshape(1, 3, 2, 2);
        float[] target = {153f, 127.5f, 102f};
        float[] got = run(raw, 2, target, ChannelMeanNorm.Mode.HIGHLIGHTS).reshape(-1).toFloatVector();
        double[] h = {0.8 * Math.pow(4, -1.0 / 32), 0.5, Math.pow((3 * Math.pow(0.1, 32) + Math.pow(0.9, 32)) / 4, 1.0 / 32)};
        assertEquals(0.766083, h[0], 1e-6);
        assertEquals(0.861843, h[2], 1e-6);
        float[] r = raw.reshape(-1).toFloatVector();
        for (int i = 0; i < 12; i++) {
            assertEquals(r[i] * target[i / 4] / 255 / h[i / 4], got[i], 2e-5, "value " + i);
        }
        INDArray dim = raw.dup();
        float[] gain = {0.6f, 0.7f, 0.5f};
        for (int c = 0; c < 3; c++) {
            dim.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).muli(gain[c]);
        }
        INDArray a = run(raw, 2, target, ChannelMeanNorm.Mode.HIGHLIGHTS);
        assertEquals(0, a.sub(run(dim, 2, target, ChannelMeanNorm.Mode.HIGHLIGHTS)).amaxNumber().doubleValue(), 1e-5);
    }

    /** An all-black channel stays black: neither a division by zero nor float round-off amplified to grey. */
    @Test
    void blackChannelStaysBlack() {
        INDArray raw = Nd4j.zeros(DataType.FLOAT, 1, 3, 2, 2);
        raw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(0.5);
        INDArray y = run(raw, 2, new float[]{200f, 190f, 180f});
        assertEquals(200 / 255.0, y.getDouble(0, 0, 1, 1), 1e-6);
        assertEquals(0, y.getDouble(0, 1, 0, 0), 1e-4);
        assertEquals(0, y.getDouble(0, 2, 1, 0), 1e-4);
    }
}
