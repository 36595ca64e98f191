package org.mqn4j.swin;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwinTransformerTest {

    /** torchvision's published count for swin_t with the 1000-class head; the graph is not run. */
    @Test
    void swinTParameterCountEqualsTorchvision() {
        SameDiff sd = SameDiff.create();
        SwinTransformer swin = SwinTransformer.create(sd, SwinConfig.swinT(), 224, 224);
        List<SDVariable> f = swin.features(swin.input());
        swin.classifier(f.get(3), 1000);
        assertEquals(28_288_354L, SwinTransformer.parameterCount(sd));
        assertTrue(sd.hasVariable("features.1.0.attn.qkv.weight") && sd.hasVariable("features.7.1.mlp.3.bias")
                && sd.hasVariable("features.6.reduction.weight") && sd.hasVariable("head.weight"));
        assertArrayEquals(new long[]{288, 96}, sd.getVariable("features.1.0.attn.qkv.weight").getArr().shape());
        assertArrayEquals(new long[]{169, 3}, sd.getVariable("features.1.0.attn.relative_position_bias_table").getArr().shape());
        assertArrayEquals(new long[]{96, 3, 4, 4}, sd.getVariable("features.0.0.weight").getArr().shape());
    }

    @Tag("slow")
    @Test
    void swinBParameterCountAndStageShapesAt480() {
        SameDiff sd = SameDiff.create();
        SwinTransformer swin = SwinTransformer.create(sd, SwinConfig.swinB(7), 480, 480);
        List<SDVariable> f = swin.features(swin.input());
        swin.classifier(f.get(3), 1000);
        assertEquals(87_768_224L, SwinTransformer.parameterCount(sd));
        Map<String, INDArray> out = sd.output(Map.of("input", Nd4j.rand(DataType.FLOAT, 1, 3, 480, 480)),
                "stage1", "stage2", "stage3", "stage4");
        assertArrayEquals(new long[]{1, 120, 120, 128}, out.get("stage1").shape());
        assertArrayEquals(new long[]{1, 60, 60, 256}, out.get("stage2").shape());
        assertArrayEquals(new long[]{1, 30, 30, 512}, out.get("stage3").shape());
        assertArrayEquals(new long[]{1, 15, 15, 1024}, out.get("stage4").shape());
    }

    @Test
    void swinBStageSizesAt480() {
        SwinTransformer swin = SwinTransformer.create(SameDiff.create(), SwinConfig.swinB(12), 480, 480);
        int[][] expect = {{120, 120}, {60, 60}, {30, 30}, {15, 15}};
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(expect[i], swin.stageSize(i));
            assertEquals(128 << i, swin.config().stageDim(i));
        }
    }

    /**
     * The part-by-part API the fusion network uses: stem, stage, inject, merge. With nothing
     * injected it equals {@link SwinTransformer#features}; an injection after stage 1 changes stage 2
     * only; stage norms are LayerNorms named norm0..norm3.
     */
    @Test
    void partsComposeWithInjectionBeforeMerging() {
        SwinConfig cfg = SwinConfig.builder().embedDim(8).depths(1, 1).numHeads(1, 2).windowSize(2).build();
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);

        SameDiff whole = SameDiff.create();
        SwinTransformer a = SwinTransformer.builder(cfg, 16, 16).seed(5).build(whole);
        a.features(a.input());
        Map<String, INDArray> ref = whole.output(Map.of("input", image), "stage1", "stage2");

        SameDiff parts = SameDiff.create();
        SwinTransformer b = SwinTransformer.builder(cfg, 16, 16).seed(5).build(parts);
        SDVariable s1 = b.stage(0, b.patchEmbed(b.input()));
        SDVariable fused = parts.placeHolder("fused", DataType.FLOAT, -1, 4, 4, 8);
        SDVariable s2 = b.stage(1, b.merge(0, s1.add(fused)));
        SDVariable n0 = b.stageNorm(0, s1);
        b.stageNorm(1, s2);
        Map<String, INDArray> zero = parts.output(Map.of("input", image, "fused", Nd4j.zeros(DataType.FLOAT, 2, 4, 4, 8)),
                s1.name(), s2.name(), n0.name());
        assertEquals(ref.get("stage1"), zero.get(s1.name()));
        assertEquals(ref.get("stage2"), zero.get(s2.name()));
        INDArray n = zero.get(n0.name()); // norm0 at its init (weight 1, bias 0): zero mean, unit variance per pixel
        assertEquals(0.0, n.mean(3).maxNumber().doubleValue(), 1e-5);
        assertEquals(1.0, n.mul(n).mean(3).meanNumber().doubleValue(), 1e-3);
        assertArrayEquals(new long[]{8}, parts.getVariable("norm0.weight").getArr().shape());
        assertArrayEquals(new long[]{16}, parts.getVariable("norm1.bias").getArr().shape());

        INDArray s2Fused = parts.output(Map.of("input", image, "fused", Nd4j.rand(DataType.FLOAT, 2, 4, 4, 8)), // not constant: LayerNorm removes a constant
                s2.name()).get(s2.name());
        assertTrue(s2Fused.sub(ref.get("stage2")).norm2Number().doubleValue() > 1e-2, "injection had no effect");
    }

    /** Row-mode stochastic depth: each sample's branch is either 0 or scaled by 1/(1−p), about 1−p kept. */
    @Test
    void stochasticDepthDropsWholeSamples() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 2, 3);
        SwinBlock.stochasticDepth(sd, x, 0.3, true).rename("y");
        INDArray y = sd.output(Map.of("x", Nd4j.ones(DataType.FLOAT, 400, 2, 2, 3)), "y").get("y");
        int kept = 0;
        for (int b = 0; b < 400; b++) {
            INDArray s = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b));
            double v = s.getDouble(0);
            assertTrue(v == 0.0 || Math.abs(v - 1 / 0.7) < 1e-6, "value " + v);
            assertEquals(v * 12, s.sumNumber().doubleValue(), 1e-4, "whole sample dropped or kept");
            kept += v > 0 ? 1 : 0;
        }
        assertTrue(kept > 240 && kept < 320, "kept " + kept + " of 400");
        SDVariable z = SwinBlock.stochasticDepth(sd, x, 0.3, false);
        assertEquals(x, z, "identity when not training");
    }

    /**
     * Finite differences against backprop through a whole tiny Swin in double: stem, padding, shifted
     * windows with the mask, shift along one dimension only, patch merging of an odd map, the head.
     */
    @Test
    void gradientCheckTinySwin() {
        gradientCheckTinySwin(1);
    }

    /** The same, with more entries per parameter (about a minute). */
    @Tag("slow")
    @Test
    void gradientCheckTinySwinThorough() {
        gradientCheckTinySwin(8);
    }

    private static void gradientCheckTinySwin(int entriesPerParam) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            SwinConfig cfg = SwinConfig.builder().embedDim(4).depths(2, 2).numHeads(1, 2).windowSize(2).mlpRatio(1).build();
            SameDiff sd = SameDiff.create();
            // 20x12 px -> 5x3 (padded to 6x4, shifted both ways) -> 3x2 (padded to 4x2: shift along H only)
            SwinTransformer swin = SwinTransformer.builder(cfg, 20, 12).dataType(DataType.DOUBLE).seed(3).build(sd);
            // the image as a variable: GradCheckUtil wants gradients for float placeholders
            List<SDVariable> f = swin.features(sd.var("image", Nd4j.randn(DataType.DOUBLE, 2, 3, 20, 12)));
            SDVariable logits = swin.classifier(f.get(1), 3);
            INDArray w = Nd4j.rand(DataType.DOUBLE, 2, 3).subi(0.5);
            SDVariable loss = logits.mul(sd.constant(w)).sum().add(f.get(0).mul(f.get(0)).mean().mul(0.1)).rename("loss");
            sd.setLossVariables(loss);
            for (SDVariable v : sd.variables()) { // larger weights than 0.02, so every path matters
                if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE && v.name().contains("weight")
                        && !v.name().contains("norm")) {
                    v.getArr().assign(Nd4j.randn(DataType.DOUBLE, v.getArr().shape()).muli(0.5));
                }
                if (v.name().endsWith("relative_position_bias_table") || v.name().endsWith(".bias")) {
                    v.getArr().assign(Nd4j.randn(DataType.DOUBLE, v.getArr().shape()).muli(0.3));
                }
            }
            Map<String, INDArray> ph = Map.of();
            boolean ok = GradCheckUtil.checkGradients(sd, ph, 1e-6, 1e-4, 1e-8, false, false, false, false,
                    new HashSet<>(), null, entriesPerParam, GradCheckUtil.Subset.EVERY_N);
            assertTrue(ok, "gradient check of the tiny Swin failed");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
