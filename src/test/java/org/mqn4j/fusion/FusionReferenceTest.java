package org.mqn4j.fusion;

import org.junit.jupiter.api.Test;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.autodiff.validation.GradCheckUtil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LQV, VQL, the early-fusion add and the decoder against the torch reference of tools/mqn_fixtures.py. */
class FusionReferenceTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/mqn");

    static Map<String, INDArray> read(String file) {
        Map<String, INDArray> out = new HashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(DIR.resolve(file))) {
            for (String n : f.names()) {
                out.put(n, f.get(n).dup());
            }
        }
        return out;
    }

    /** Sets every variable of sd from the fixture (fails on a missing one). */
    static void assign(SameDiff sd, Map<String, INDArray> t) {
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                INDArray w = t.get(v.name());
                assertTrue(w != null, "fixture lacks " + v.name());
                assertArrayEquals(w.shape(), v.getArr().shape(), v.name());
                v.getArr().assign(w);
            }
        }
    }

    static double relErr(INDArray got, INDArray want) {
        return got.sub(want).norm2Number().doubleValue() / want.norm2Number().doubleValue();
    }

    @Test
    void lqvVqlAndFusionMatchTorch() {
        Map<String, INDArray> t = read("fusion.safetensors");
        int b = 2, h = 3, w = 4, c = 6, len = 5, cl = 8;
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 0);
        SDVariable v = sd.placeHolder("V", DataType.DOUBLE, -1, h, w, c);
        SDVariable l = sd.placeHolder("L", DataType.DOUBLE, -1, len, cl);
        SDVariable m = sd.placeHolder("mask", DataType.DOUBLE, -1, len);
        LanguageQueryVision lqv = LanguageQueryVision.apply(p, "fusion.1.lqv", v, l, m, h, w, len, c, cl);
        SDVariable fm = lqv.matched();
        VisionQueryLanguage vql = VisionQueryLanguage.apply(p, "fusion.1.vql", v, lqv, m, h, w, len, c);
        SDVariable fused = EarlyFusion.apply(p, "fusion.1", v, vql.filter(), c, 0.0);
        assign(sd, t);
        Map<String, INDArray> out = sd.output(Map.of("V", t.get("V"), "L", t.get("L"), "mask", t.get("mask")),
                lqv.response().name(), fm.name(), vql.attention().name(), vql.filter().name(), fused.name());
        Map<String, String> pairs = Map.of("S", lqv.response().name(), "F_m", fm.name(), "A", vql.attention().name(),
                "F_f", vql.filter().name(), "fused", fused.name());
        List<String> report = new ArrayList<>();
        pairs.forEach((ref, name) -> {
            INDArray got = out.get(name);
            assertArrayEquals(t.get(ref).shape(), got.shape(), ref);
            double e = relErr(got, t.get(ref));
            report.add(ref + " " + String.format("%.1e", e));
            assertTrue(e < 1e-10, ref + ": relative error " + e);
        });
        System.out.println("fusion vs torch (float64): " + report);
        // padded tokens get no attention at all
        INDArray a = out.get(vql.attention().name());
        assertTrue(a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 5)).amaxNumber().doubleValue() < 1e-12);
    }

    @Test
    void decoderMatchesTorch() {
        checkDecoder("decoder.safetensors", 0, Decoder.Norm.LAYER);
    }

    /** With GroupNorm(1, C) after each convolution (decoder_norm: group), against torch's group_norm. */
    @Test
    void decoderWithGroupNormMatchesTorch() {
        checkDecoder("decoder_group.safetensors", 5, Decoder.Norm.GROUP);
    }

    /** The fine stage (Conv2×2/2 stem on the image, D_0 at half the input size) against torch's conv2d. */
    @Test
    void decoderWithFineStageMatchesTorch() {
        checkDecoder("decoder_fine.safetensors", 5, Decoder.Norm.LAYER);
    }

    private void checkDecoder(String file, int fineDim, Decoder.Norm norm) {
        Map<String, INDArray> t = read(file);
        int[][] sizes = {{9, 9}, {5, 5}, {3, 3}, {2, 2}};
        int[] dims = {4, 8, 16, 32};
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 0);
        List<SDVariable> feats = new ArrayList<>();
        Map<String, INDArray> ph = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            feats.add(sd.placeHolder("F" + (i + 1), DataType.DOUBLE, -1, sizes[i][0], sizes[i][1], dims[i]));
            ph.put("F" + (i + 1), t.get("F" + (i + 1)));
        }
        SDVariable image = null;
        if (fineDim > 0) {
            image = sd.placeHolder("image", DataType.DOUBLE, -1, 3, 36, 36);
            ph.put("image", t.get("image"));
        }
        Decoder.apply(p, "logits", feats, sizes, dims, 6, image, fineDim, norm, 36, 36);
        assign(sd, t);
        INDArray got = sd.output(ph, "logits").get("logits");
        assertArrayEquals(new long[]{2, 2, 36, 36}, got.shape());
        double e = relErr(got, t.get("logits"));
        System.out.printf("%s vs torch (float64): relative error %.1e%n", file, e);
        assertTrue(e < 1e-10, "relative error " + e);
    }

    @Test
    void fineStageWithoutImageOrNegativeWidthIsRefused() {
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 0);
        int[][] sizes = {{2, 2}, {1, 1}};
        int[] dims = {2, 3};
        List<SDVariable> feats = List.of(sd.var("F1", Nd4j.zeros(DataType.DOUBLE, 1, 2, 2, 2)),
                sd.var("F2", Nd4j.zeros(DataType.DOUBLE, 1, 1, 1, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Decoder.apply(p, "logits", feats, sizes, dims, 2, null, 4, Decoder.Norm.LAYER, 8, 8));
        assertTrue(e.getMessage().contains("input image"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Decoder.apply(p, "logits", feats, sizes, dims, 2, null, -1, Decoder.Norm.LAYER, 8, 8));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
    }

    /** Backprop of the decoder (matmul-and-shift convolutions, resizes, norms) against finite differences. */
    @Test
    void decoderGradientsMatchFiniteDifferences() {
        checkDecoderGradients(0, Decoder.Norm.LAYER);
    }

    @Test
    void decoderWithGroupNormGradientsMatchFiniteDifferences() {
        checkDecoderGradients(2, Decoder.Norm.GROUP);
    }

    /** As above with the fine stage, whose stem (a 6-d reshape and permute, then a matmul) sees the image. */
    @Test
    void decoderWithFineStageGradientsMatchFiniteDifferences() {
        checkDecoderGradients(2, Decoder.Norm.LAYER);
    }

    private void checkDecoderGradients(int fineDim, Decoder.Norm norm) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            int[][] sizes = {{5, 3}, {3, 2}, {2, 1}, {1, 1}};
            int[] dims = {2, 3, 4, 5};
            SameDiff sd = SameDiff.create();
            Params p = new Params(sd, DataType.DOUBLE, 4);
            Nd4j.getRandom().setSeed(4);
            List<SDVariable> feats = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                feats.add(sd.var("F" + (i + 1), Nd4j.randn(DataType.DOUBLE, 2, sizes[i][0], sizes[i][1], dims[i])));
            }
            int outH = fineDim > 0 ? 18 : 19;
            int outW = fineDim > 0 ? 10 : 11;
            SDVariable image = fineDim > 0 ? sd.var("image", Nd4j.randn(DataType.DOUBLE, 2, 3, outH, outW)) : null;
            SDVariable logits = Decoder.apply(p, "logits", feats, sizes, dims, 3, image, fineDim, norm, outH, outW);
            SDVariable r = sd.constant(Nd4j.rand(DataType.DOUBLE, 2, 2, outH, outW).subi(0.5));
            sd.setLossVariables(logits.mul(r).sum().rename("loss"));
            assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-4, 1e-8, false, false, false, false,
                    null, null, 4, GradCheckUtil.Subset.RANDOM), "decoder gradient check failed");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
