package org.mqn4j.fusion;

import org.junit.jupiter.api.Test;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grounding loss against its formula computed by hand in plain Java, and its gradients against central differences. */
class GroundingLossTest {
    static final int B = 3, T = 5, SIZE = 7;
    // two stages of a 7 px image: 4x4 cells of 2x2 pixels and 2x2 cells of 4x4, the last row and column padded
    static final int[][] STAGES = {{4, 4, 2}, {2, 2, 4}};

    @Test
    void lossIsTheBalancedPerCharacterCrossEntropyAgainstThePooledMask() {
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 1);
        INDArray[] s = new INDArray[STAGES.length];
        List<FeatureMap> stages = randomResponses(sd, 5, s);
        double[][] mask = {{1, 1, 1, 1, 0}, {1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}};
        // sample 0: tokens 1, 2 name the target; sample 1: token 3; sample 2: none (adds nothing)
        double[][] naming = {{0, 1, 1, 0, 0}, {0, 0, 0, 1, 0}, {0, 0, 0, 0, 0}};
        INDArray target = Nd4j.rand(DataType.DOUBLE, B, 1, SIZE, SIZE).gt(0.6).castTo(DataType.DOUBLE);
        SDVariable t = sd.placeHolder("target", DataType.DOUBLE, -1, 1, SIZE, SIZE);
        SDVariable m = sd.constant("mask", Nd4j.createFromArray(mask));
        SDVariable loss = GroundingLoss.apply(p, stages, t, m, SIZE, T).rename("loss");
        sd.setLossVariables(loss);
        sd.getVariable("fusion.2.ground.scale").getArr().assign(0.7);
        sd.getVariable("fusion.3.ground.bias").getArr().assign(-0.4);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("target", target);
        ph.put(GroundingLoss.NAMING_TOKENS, Nd4j.createFromArray(naming));
        double got = sd.output(ph, "loss").get("loss").getDouble(0);

        double[] a = new double[STAGES.length];
        double[] bias = new double[STAGES.length];
        for (int i = 0; i < STAGES.length; i++) {
            a[i] = sd.getVariable("fusion." + (i + 2) + ".ground.scale").getArr().getDouble(0);
            bias[i] = sd.getVariable("fusion." + (i + 2) + ".ground.bias").getArr().getDouble(0);
        }
        double expected = handComputed(s, STAGES, a, bias, target, new double[][][]{naming, naming}, naming, mask);
        assertEquals(expected, got, 1e-10);

        LossChecks.gradientsMatchCentralDifferences(sd, ph, 7, "s0", "s1", "fusion.2.ground.scale", "fusion.3.ground.bias");
    }

    @Test
    void belowTheCategoryStagesOnlyTheColourWordIsATargetAndTheCategoryWordIsLeftOut() {
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 1);
        INDArray[] s = new INDArray[STAGES.length];
        List<FeatureMap> stages = randomResponses(sd, 9, s);
        double[][] mask = {{1, 1, 1, 1, 0}, {1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
        // sample 0: colour word at 1, category word at 2-3; sample 1: category only (3); sample 2: colour only (1-2)
        double[][] naming = {{0, 1, 1, 1, 0}, {0, 0, 0, 1, 0}, {0, 1, 1, 0, 0}};
        double[][] colour = {{0, 1, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 1, 1, 0, 0}};
        INDArray target = Nd4j.rand(DataType.DOUBLE, B, 1, SIZE, SIZE).gt(0.5).castTo(DataType.DOUBLE);
        SDVariable t = sd.placeHolder("target", DataType.DOUBLE, -1, 1, SIZE, SIZE);
        // the category word is grounded at stages 3-4: of the grounded stages 2 and 3, stage 2 takes the colour word alone
        SDVariable loss = GroundingLoss.apply(p, stages, t, sd.constant("mask", Nd4j.createFromArray(mask)), SIZE, T,
                new int[]{3, 4}).rename("loss");
        sd.setLossVariables(loss);
        sd.getVariable("fusion.2.ground.bias").getArr().assign(0.3);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("target", target);
        ph.put(GroundingLoss.NAMING_TOKENS, Nd4j.createFromArray(naming));
        ph.put(GroundingLoss.COLOUR_TOKENS, Nd4j.createFromArray(colour));
        double got = sd.output(ph, "loss").get("loss").getDouble(0);

        double[] a = {1, 1};
        double[] bias = {0.3, 0};
        assertEquals(handComputed(s, STAGES, a, bias, target, new double[][][]{colour, naming}, naming, mask), got, 1e-10);
        // not the loss that grounds both words at both stages
        double both = handComputed(s, STAGES, a, bias, target, new double[][][]{naming, naming}, naming, mask);
        assertTrue(Math.abs(both - got) > 1e-3, both + " vs " + got);
        LossChecks.gradientsMatchCentralDifferences(sd, ph, 7, "s0", "s1", "fusion.2.ground.scale", "fusion.3.ground.bias");
    }

    @Test
    void theColourPlaceholderExistsOnlyWhenAGroundedStageLeavesTheCategoryOut() {
        // the grounded stages are 2 and 3: only [3, 4] leaves the category out of one of them (stage 2)
        Map<String, Boolean> expected = Map.of("[1, 2, 3, 4]", false, "[2, 3]", false, "[3, 4]", true);
        for (int[] categoryStages : new int[][]{{1, 2, 3, 4}, {2, 3}, {3, 4}}) {
            SameDiff sd = SameDiff.create();
            Params p = new Params(sd, DataType.DOUBLE, 1);
            List<FeatureMap> stages = List.of(new FeatureMap(2, sd.var("a", Nd4j.randn(DataType.DOUBLE, 1, 16, T)), 4, 4, T, 2),
                    new FeatureMap(3, sd.var("b", Nd4j.randn(DataType.DOUBLE, 1, 4, T)), 2, 2, T, 4));
            GroundingLoss.apply(p, stages, sd.placeHolder("target", DataType.DOUBLE, -1, 1, 8, 8),
                    sd.constant(Nd4j.ones(DataType.DOUBLE, 1, T)), 8, T, categoryStages);
            String key = Arrays.toString(categoryStages);
            assertEquals(expected.get(key), sd.hasVariable(GroundingLoss.COLOUR_TOKENS), key);
        }
    }

    @Test
    void aBatchWithoutNamingTokensAddsNothing() {
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 1);
        SDVariable s = sd.var("s", Nd4j.randn(DataType.DOUBLE, 2, 4, T));
        SDVariable t = sd.placeHolder("target", DataType.DOUBLE, -1, 1, 4, 4);
        SDVariable loss = GroundingLoss.apply(p, List.of(new FeatureMap(1, s, 2, 2, T, 2)), t,
                sd.constant(Nd4j.ones(DataType.DOUBLE, 2, T)), 4, T).rename("loss");
        Map<String, INDArray> ph = Map.of("target", Nd4j.ones(DataType.DOUBLE, 2, 1, 4, 4),
                GroundingLoss.NAMING_TOKENS, Nd4j.zeros(DataType.DOUBLE, 2, T));
        assertEquals(0.0, sd.output(ph, "loss").get("loss").getDouble(0), 0.0);
    }

    @Test
    void aStageThatDoesNotTileTheImageIsRefused() {
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 1);
        SDVariable s = sd.var("s", Nd4j.randn(DataType.DOUBLE, 1, 9, T));
        SDVariable t = sd.placeHolder("target", DataType.DOUBLE, -1, 1, 8, 8);
        assertThrows(IllegalArgumentException.class, () -> GroundingLoss.apply(p,
                List.of(new FeatureMap(1, s, 3, 3, T, 2)), t, sd.constant(Nd4j.ones(DataType.DOUBLE, 1, T)), 8, T));
    }

    /** Random LQV responses s[i] [B,h·w,T] of the {@link #STAGES} (as stages 2 and 3), variables s0, s1 of {@code sd}. */
    private static List<FeatureMap> randomResponses(SameDiff sd, long seed, INDArray[] s) {
        Nd4j.getRandom().setSeed(seed);
        List<FeatureMap> stages = new ArrayList<>();
        for (int i = 0; i < STAGES.length; i++) {
            s[i] = Nd4j.randn(DataType.DOUBLE, B, STAGES[i][0] * STAGES[i][1], T).muli(2);
            stages.add(new FeatureMap(i + 2, sd.var("s" + i, s[i].dup()), STAGES[i][0], STAGES[i][1], T, STAGES[i][2]));
        }
        return stages;
    }

    /**
     * The loss by its formula: s[i] the responses [B,h·w,T] of stage i (h, w, stride in stages[i]), a and b
     * the stages' scale and bias, target [B,1,S,S] (pixels past S count as background), positives[i] the characters
     * that name the target at stage i, naming all that do (the others of the mask are background), naming and mask [B][T].
     */
    static double handComputed(INDArray[] s, int[][] stages, double[] a, double[] bias, INDArray target,
                               double[][][] positives, double[][] naming, double[][] mask) {
        int batch = naming.length, tokens = naming[0].length;
        double expected = 0;
        for (int i = 0; i < stages.length; i++) {
            int h = stages[i][0], w = stages[i][1], k = stages[i][2];
            double[][] positive = positives[i];
            double sum = 0;
            int counted = 0;
            for (int b = 0; b < batch; b++) {
                double ny = 0, no = 0;
                for (int tt = 0; tt < tokens; tt++) {
                    ny += positive[b][tt];
                    no += mask[b][tt] - naming[b][tt];
                }
                if (ny == 0) {
                    continue;
                }
                counted++;
                double pos = 0, neg = 0;
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < w; c++) {
                        double g = LossChecks.cellShare(target, b, r, c, k);
                        for (int tt = 0; tt < tokens; tt++) {
                            double z = a[i] * s[i].getDouble(b, r * w + c, tt) + bias[i];
                            double label = g * positive[b][tt];
                            double bce = -(label * Math.log(sigmoid(z)) + (1 - label) * Math.log(1 - sigmoid(z)));
                            pos += bce * positive[b][tt];
                            neg += bce * (mask[b][tt] - naming[b][tt]);
                        }
                    }
                }
                sum += pos / (h * w * ny) + neg / (h * w * no);
            }
            expected += counted == 0 ? 0 : sum / counted;
        }
        return expected / stages.length;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
