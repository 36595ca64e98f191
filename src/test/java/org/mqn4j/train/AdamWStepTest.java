package org.mqn4j.train;

import org.junit.jupiter.api.Test;
import org.mqn4j.eval.ModelInputs;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWStepTest {
    static final List<String> PARAMS = List.of("features.0.weight", "features.0.bias", "norm.weight",
            "embeddings.word_embeddings.weight", "layers.0.relative_position_bias_table", "unused.weight");

    static Map<String, INDArray> batch(long seed) {
        Random r = new Random(seed);
        long[][] ids = new long[4][8];
        long[][] mask = new long[4][8];
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < 8; t++) {
                mask[b][t] = t < 3 + b ? 1 : 0;
                ids[b][t] = mask[b][t] == 1 ? 100 + r.nextInt(50) : 0;
            }
        }
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(ModelInputs.INPUT, Nd4j.randn(DataType.FLOAT, 4, 3, 8, 8));
        ph.put(ModelInputs.INPUT_IDS, Nd4j.createFromArray(ids));
        ph.put(ModelInputs.ATTENTION_MASK, Nd4j.createFromArray(mask));
        ph.put(ModelInputs.TARGET, Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8).gt(0.5).castTo(DataType.FLOAT));
        return ph;
    }

    static SameDiff graph(LearningRateSchedule s) {
        SameDiff sd = new StandInModel(8, 8, 3, 0.0).build(true);
        sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(s))
                .dataSetFeatureMapping(ModelInputs.INPUT, ModelInputs.INPUT_IDS, ModelInputs.ATTENTION_MASK)
                .dataSetLabelMapping(ModelInputs.TARGET).build());
        return sd;
    }

    @Test
    void decayedParameters() {
        assertTrue(DecoupledWeightDecay.decays("features.1.0.attn.qkv.weight", new long[]{96, 32}));
        assertTrue(DecoupledWeightDecay.decays("embeddings.word_embeddings.weight", new long[]{100, 8}));
        assertFalse(DecoupledWeightDecay.decays("features.1.0.attn.qkv.bias", new long[]{96}));
        assertFalse(DecoupledWeightDecay.decays("features.1.0.norm1.weight", new long[]{32}));
        assertFalse(DecoupledWeightDecay.decays("encoder.layer.0.output.LayerNorm.weight", new long[]{32}));
        assertFalse(DecoupledWeightDecay.decays("features.1.0.attn.relative_position_bias_table", new long[]{49, 3}));
        SameDiff sd = graph(new LearningRateSchedule(1e-3, 0, 0, 0.9));
        assertEquals(List.of("features.0.weight", "embeddings.word_embeddings.weight", "unused.weight"),
                new AdamWStep(sd, new LearningRateSchedule(1e-3, 0, 0, 0.9), 0.1, 0).decay().names().stream().sorted(
                        (a, b) -> PARAMS.indexOf(a) - PARAMS.indexOf(b)).toList());
    }

    /** The loss a step reports is the loss of an independent forward pass on the same batch and weights. */
    @Test
    void stepLossEqualsForwardLoss() {
        LearningRateSchedule s = new LearningRateSchedule(1e-2, 0, 0, 0.9);
        SameDiff sd = graph(s);
        AdamWStep step = new AdamWStep(sd, s, 0.01, 5);
        for (int t = 0; t < 3; t++) {
            Map<String, INDArray> ph = batch(t);
            double expected = sd.output(ph, ModelInputs.LOSS).get(ModelInputs.LOSS).getDouble(0);
            double got = step.run(ph, t);
            assertEquals(expected, got, 1e-6 * Math.abs(expected), "step " + t);
            assertTrue(got > 0.1, "loss " + got);
        }
    }

    /**
     * One step by hand: ND4J's Adam at iteration 0 (alpha = lr·sqrt(1−β2)/(1−β1), m = (1−β1)g,
     * v = (1−β2)g², update = alpha·m/(sqrt v + ε)) plus lr·wd·w on the decayed weights only, with the
     * warm-up's step-0 learning rate (a quarter of the base rate) in both. The unconnected weight has
     * zero gradient and only decays.
     */
    @Test
    void oneStepMatchesHandComputation() {
        LearningRateSchedule s = new LearningRateSchedule(4e-2, 4, 0, 0.9);
        double lr = 1e-2;
        double wd = 0.5;
        SameDiff sd = graph(s);
        Map<String, INDArray> ph = batch(7);
        List<String> connected = PARAMS.subList(0, 5);
        Map<String, INDArray> grads = sd.calculateGradients(ph, connected);
        Map<String, INDArray> before = new HashMap<>();
        for (String p : PARAMS) {
            before.put(p, sd.getArrForVarName(p).dup());
        }
        new AdamWStep(sd, s, wd, 0).run(ph, 0);
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double alpha = lr * Math.sqrt(1 - b2) / (1 - b1);
        for (String p : PARAMS) {
            INDArray w0 = before.get(p).castTo(DataType.DOUBLE);
            INDArray g = grads.containsKey(p) ? grads.get(p).castTo(DataType.DOUBLE) : w0.mul(0);
            INDArray m = g.mul(1 - b1);
            INDArray v = g.mul(g).mul(1 - b2);
            INDArray update = m.mul(alpha).div(Transforms.sqrt(v, true).add(eps));
            boolean decays = p.equals("features.0.weight") || p.equals("embeddings.word_embeddings.weight") || p.equals("unused.weight");
            INDArray expected = w0.sub(update).sub(decays ? w0.mul(lr * wd) : w0.mul(0));
            INDArray got = sd.getArrForVarName(p).castTo(DataType.DOUBLE);
            double err = got.sub(expected).amaxNumber().doubleValue();
            assertTrue(err < 1e-6, p + ": max error " + err);
            if (p.equals("unused.weight")) {
                assertEquals(0.0, got.sub(w0.mul(1 - lr * wd)).amaxNumber().doubleValue(), 1e-7);
            }
        }
    }

    /**
     * With stochastic layers, a step's draws depend only on (seed, step): two fresh graphs give the
     * same losses step by step, the same step repeated gives the same loss (learning rate ~0), and
     * steps differ from each other (the draws do change).
     */
    @Test
    void randomDrawsAreAFunctionOfSeedAndStep() {
        double[][] losses = new double[2][6];
        for (int run = 0; run < 2; run++) {
            LearningRateSchedule tiny = new LearningRateSchedule(1e-12, 0, 0, 0.9);
            SameDiff sd = new StandInModel(8, 8, 3, 0.5).build(true);
            sd.setTrainingConfig(graph(tiny).getTrainingConfig());
            AdamWStep step = new AdamWStep(sd, tiny, 0, 9);
            Map<String, INDArray> ph = batch(1);
            for (int t = 0; t < 6; t++) {
                losses[run][t] = step.run(ph, t / 2);    // steps 0, 0, 1, 1, 2, 2
            }
        }
        for (int t = 0; t < 6; t++) {
            assertEquals(losses[0][t], losses[1][t], 1e-7, "fresh graphs differ at " + t);
        }
        for (int t = 0; t < 6; t += 2) {
            assertEquals(losses[0][t], losses[0][t + 1], 1e-7, "a repeated step differs at " + t);
        }
        assertTrue(losses[0][0] != losses[0][2] || losses[0][2] != losses[0][4], "draws never change: "
                + java.util.Arrays.toString(losses[0]));
    }

    /**
     * Steps run in one fit call ({@link AdamWStep#run(AdamWStep.Steps, long)}, the trainer's path) are the steps run
     * one call each: the same losses and the same weights afterwards, bit for bit, with stochastic layers, a
     * learning-rate schedule and weight decay. The call asks for the next batch only after the previous step is done.
     */
    @Test
    void stepsInOneCallEqualOneCallEach() {
        LearningRateSchedule s = new LearningRateSchedule(2e-2, 2, 6, 0.9);
        double[][] losses = new double[2][5];
        SameDiff[] graphs = new SameDiff[2];
        List<Map<String, INDArray>> batches = new java.util.ArrayList<>();
        for (int t = 0; t < 5; t++) {
            batches.add(batch(11 + t));
        }
        for (int run = 0; run < 2; run++) {
            SameDiff sd = new StandInModel(8, 8, 3, 0.5).build(true);
            sd.setTrainingConfig(graph(s).getTrainingConfig());
            AdamWStep step = new AdamWStep(sd, s, 0.1, 3);
            graphs[run] = sd;
            if (run == 0) {
                for (int t = 0; t < 5; t++) {
                    losses[0][t] = step.run(batches.get(t), 1 + t);
                }
            } else {
                List<String> calls = new java.util.ArrayList<>();
                long ran = step.run(new AdamWStep.Steps() {
                    @Override
                    public Map<String, INDArray> next(long t) {
                        calls.add("next " + t);
                        return t <= 5 ? batches.get((int) t - 1) : null;
                    }

                    @Override
                    public void done(long t, double loss) {
                        calls.add("done " + t);
                        losses[1][(int) t - 1] = loss;
                    }
                }, 1);
                assertEquals(5, ran);
                assertEquals(List.of("next 1", "done 1", "next 2", "done 2", "next 3", "done 3", "next 4", "done 4",
                        "next 5", "done 5", "next 6"), calls);
            }
        }
        for (int t = 0; t < 5; t++) {
            assertEquals(losses[0][t], losses[1][t], 0.0, "loss of step " + (1 + t));
        }
        assertTrue(losses[0][0] != losses[0][4], "the weights never changed");
        for (String p : PARAMS) {
            assertEquals(graphs[0].getArrForVarName(p), graphs[1].getArrForVarName(p), p);
        }
    }

    /** A step whose loss is not finite ends the call: the source is not asked for another batch. */
    @Test
    void nonFiniteLossEndsTheCall() {
        LearningRateSchedule s = new LearningRateSchedule(1e-2, 0, 0, 0.9);
        AdamWStep step = new AdamWStep(graph(s), s, 0.01, 0);
        Map<String, INDArray> bad = batch(2);
        bad.get(ModelInputs.INPUT).putScalar(0, Double.NaN);
        double[] seen = new double[3];
        int[] asked = {0};
        long ran = step.run(new AdamWStep.Steps() {
            @Override
            public Map<String, INDArray> next(long t) {
                asked[0]++;
                return t == 0 ? batch(1) : bad;
            }

            @Override
            public void done(long t, double loss) {
                seen[(int) t] = loss;
            }
        }, 0);
        assertEquals(2, ran);
        assertEquals(2, asked[0]);
        assertTrue(Double.isFinite(seen[0]) && Double.isNaN(seen[1]), java.util.Arrays.toString(seen));
    }
}
