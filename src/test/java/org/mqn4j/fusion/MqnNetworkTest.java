package org.mqn4j.fusion;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.NewJvm;
import org.mqn4j.ops.Params;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MqnNetworkTest {

    private static INDArray logits(SameDiff sd, Map<String, INDArray> ph) {
        return sd.output(ph, "logits").get("logits");
    }

    static double maxDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** The contract the trainer relies on: placeholder names, types and shapes; output shapes; the loss. */
    @Test
    void graphContract() {
        MqnNetwork net = MqnNetwork.build(TinyMqn.config(MqnConfig.Variant.MQN), false);
        SameDiff sd = net.sameDiff();
        int s = TinyMqn.S;
        assertArrayEquals(new long[]{-1, 3, s, s}, sd.getVariable("input").placeholderShape());
        assertEquals(DataType.INT64, sd.getVariable("input_ids").dataType());
        assertEquals(DataType.INT64, sd.getVariable("attention_mask").dataType());
        assertArrayEquals(new long[]{-1, TinyMqn.T}, sd.getVariable("attention_mask").placeholderShape());
        assertArrayEquals(new long[]{-1, 1, s, s}, sd.getVariable("target").placeholderShape());
        assertFalse(sd.hasVariable("token_type_ids"));
        assertEquals(List.of("loss"), sd.getLossVariables());
        assertEquals(List.of("fusion.1.vql.attention", "fusion.2.vql.attention", "fusion.3.vql.attention",
                "fusion.4.vql.attention"), net.attentionNames());

        Map<String, INDArray> ph = TinyMqn.batch(3, 1, DataType.FLOAT);
        List<String> names = new ArrayList<>(List.of("logits", "probability", "loss"));
        names.addAll(net.attentionNames());
        Map<String, INDArray> out = sd.output(ph, names.toArray(new String[0]));
        INDArray z = out.get("logits");
        assertArrayEquals(new long[]{3, 2, s, s}, z.shape());
        assertArrayEquals(new long[]{3, s, s}, out.get("probability").shape());
        assertArrayEquals(new long[]{3, 81, TinyMqn.T}, out.get("fusion.1.vql.attention").shape()); // 9x9 pixels
        assertArrayEquals(new long[]{3, 4, TinyMqn.T}, out.get("fusion.4.vql.attention").shape()); // 2x2 pixels
        // attention sums to 1 over the tokens of each pixel
        INDArray rowSums = out.get("fusion.2.vql.attention").sum(2);
        assertTrue(maxDiff(rowSums, Nd4j.onesLike(rowSums)) < 1e-5);

        // probability and loss by hand from the logits: softmax over the 2 classes, mean pixel cross-entropy
        double[] zz = z.castTo(DataType.DOUBLE).data().asDouble();
        double[] tt = ph.get("target").castTo(DataType.DOUBLE).data().asDouble();
        double[] pp = out.get("probability").castTo(DataType.DOUBLE).data().asDouble();
        int plane = s * s;
        double sum = 0;
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < plane; i++) {
                double z0 = zz[b * 2 * plane + i];
                double z1 = zz[b * 2 * plane + plane + i];
                double max = Math.max(z0, z1);
                double lse = max + Math.log(Math.exp(z0 - max) + Math.exp(z1 - max));
                double t = tt[b * plane + i];
                sum -= t * (z1 - lse) + (1 - t) * (z0 - lse);
                assertEquals(Math.exp(z1 - lse), pp[b * plane + i], 1e-5);
            }
        }
        assertEquals(sum / (3.0 * plane), out.get("loss").getDouble(0), 1e-5);
    }

    /** decoder_fine_dim adds decoder.0 at half the input size, fed by the image; without it there is none. */
    /**
     * With channel_means the network sees every picture at the same channel means: a copy of a batch under dim, warm
     * light (a gain per channel) gives the same probabilities. Without it the copy gives others.
     */
    @Test
    void channelMeansMakeTheNetworkBlindToAChannelGain() {
        Map<String, INDArray> ph = TinyMqn.batch(2, 4, DataType.FLOAT);
        INDArray raw = Nd4j.rand(DataType.FLOAT, 2, 3, TinyMqn.S, TinyMqn.S).muli(0.6f);   // pixel values in [0, 0.6]
        float[] mu = org.mqn4j.data.SampleLoader.MEAN;
        float[] sigma = org.mqn4j.data.SampleLoader.STD;
        float[] gain = {0.45f, 0.7f, 0.9f};
        INDArray plain = raw.dup();
        INDArray dim = raw.dup();
        for (int c = 0; c < 3; c++) {
            INDArray p = plain.get(NDArrayIndex.all(), NDArrayIndex.point(c));
            p.subi(mu[c]).divi(sigma[c]);
            INDArray d = dim.get(NDArrayIndex.all(), NDArrayIndex.point(c));
            d.muli(gain[c]).subi(mu[c]).divi(sigma[c]);
        }
        Map<String, INDArray> dimPh = new java.util.HashMap<>(ph);
        ph.put("input", plain);
        dimPh.put("input", dim);
        MqnConfig cfg = TinyMqn.config(MqnConfig.Variant.MQN);
        SameDiff without = MqnNetwork.build(cfg, false).sameDiff();
        assertTrue(maxDiff(without.output(ph, "probability").get("probability"),
                without.output(dimPh, "probability").get("probability")) > 1e-3, "the plain network must see the dimming");
        SameDiff with = MqnNetwork.build(cfg.withChannelMeans(new float[]{120f, 110f, 100f}), false).sameDiff();
        assertTrue(with.hasVariable("input_norm"));
        assertTrue(maxDiff(with.output(ph, "probability").get("probability"),
                with.output(dimPh, "probability").get("probability")) < 1e-5);
        MqnException e = assertThrows(MqnException.class,
                () -> MqnNetwork.build(cfg.toBuilder().channelMeans(new float[0]).build(), false));
        assertTrue(e.getMessage().contains("mqn train measures them"), e.getMessage());
    }

    @Test
    void fineDecoderStage() {
        assertFalse(MqnNetwork.build(TinyMqn.config(MqnConfig.Variant.MQN), false).sameDiff().hasVariable("decoder.0.stem.weight"));
        MqnNetwork net = MqnNetwork.build(TinyMqn.config(MqnConfig.Variant.MQN).toBuilder().decoderFineDim(3).build(), false);
        SameDiff sd = net.sameDiff();
        assertArrayEquals(new long[]{3, 3, 2, 2}, sd.getVariable("decoder.0.stem.weight").getArr().shape());
        assertArrayEquals(new long[]{3, 4 + 3, 3, 3}, sd.getVariable("decoder.0.conv1.weight").getArr().shape());
        assertArrayEquals(new long[]{2, 3}, sd.getVariable("decoder.classifier.weight").getArr().shape());
        Map<String, INDArray> ph = TinyMqn.batch(2, 1, DataType.FLOAT);
        INDArray before = sd.output(ph, "logits").get("logits");
        assertArrayEquals(new long[]{2, 2, TinyMqn.S, TinyMqn.S}, before.shape());
        sd.getVariable("decoder.0.stem.weight").getArr().muli(3);
        assertTrue(maxDiff(before, sd.output(ph, "logits").get("logits")) > 1e-4, "the stem does not reach the logits");
    }

    /** decoder_norm group: each fused stage's F_f gets its own norm before the decoder, which reaches the logits. */
    @Test
    void groupNormDecoder() {
        MqnConfig cfg = TinyMqn.config(MqnConfig.Variant.MQN).toBuilder().fusionStages(2, 3).decoderNorm(Decoder.Norm.GROUP).build();
        SameDiff sd = MqnNetwork.build(cfg, false).sameDiff();
        assertFalse(sd.hasVariable("fusion.1.out_norm.weight"), "stage 1 is not fused: it keeps the Swin's norm0");
        assertTrue(sd.hasVariable("fusion.2.out_norm.weight") && sd.hasVariable("fusion.3.out_norm.bias"));
        assertTrue(sd.hasVariable("decoder.1.norm1.weight"), "the decoder's norms keep their names");
        Map<String, INDArray> ph = TinyMqn.batch(2, 1, DataType.FLOAT);
        INDArray before = sd.output(ph, "logits").get("logits");
        sd.getVariable("fusion.3.out_norm.weight").getArr().muli(-2);
        assertTrue(maxDiff(before, sd.output(ph, "logits").get("logits")) > 1e-4, "fusion.3.out_norm does not reach the logits");
        assertFalse(MqnNetwork.build(TinyMqn.config(MqnConfig.Variant.MQN), false).sameDiff().hasVariable("fusion.2.out_norm.weight"));
    }

    /** Ids at padded positions do not matter; the mask does. */
    @Test
    void paddedTokensDoNotChangeTheOutput() {
        for (MqnConfig.Variant v : new MqnConfig.Variant[]{MqnConfig.Variant.MQN, MqnConfig.Variant.NO_VQL}) {
            SameDiff sd = MqnNetwork.build(TinyMqn.config(v), false).sameDiff();
            Map<String, INDArray> ph = TinyMqn.batch(4, 2, DataType.FLOAT);
            INDArray before = logits(sd, ph);
            INDArray ids = ph.get("input_ids").dup();
            INDArray mask = ph.get("attention_mask");
            int changed = 0;
            for (int b = 0; b < 4; b++) {
                for (int j = 0; j < TinyMqn.T; j++) {
                    if (mask.getLong(b, j) == 0) {
                        ids.putScalar(b, j, 1 + (b * 7 + j * 3) % (TinyMqn.VOCAB - 1));
                        changed++;
                    }
                }
            }
            assertTrue(changed > 0, "test batch has no padding");
            Map<String, INDArray> ph2 = new HashMap<>(ph);
            ph2.put("input_ids", ids);
            assertTrue(maxDiff(before, logits(sd, ph2)) < 1e-6, v + ": padded ids changed the logits");
            // whereas unmasking a padded position does change them
            Map<String, INDArray> ph3 = new HashMap<>(ph2);
            ph3.put("attention_mask", Nd4j.onesLike(mask));
            assertTrue(maxDiff(before, logits(sd, ph3)) > 1e-4, v + ": the mask has no effect");
        }
    }

    /**
     * F_m is the mean over valid characters: a title [a, b, pad, pad] and the title [a, b, a, b] with
     * no padding give the same F_m (each valid character weighs 1/Σm, however often it occurs).
     */
    @Test
    void matchedFeatureWeighsEveryValidCharacterEqually() {
        int h = 2, w = 3, c = 4, t = 4, cl = 5;
        SameDiff sd = SameDiff.create();
        Params p = new Params(sd, DataType.DOUBLE, 3);
        SDVariable v = sd.placeHolder("V", DataType.DOUBLE, -1, h, w, c);
        SDVariable l = sd.placeHolder("L", DataType.DOUBLE, -1, t, cl);
        SDVariable m = sd.placeHolder("mask", DataType.DOUBLE, -1, t);
        SDVariable fm = LanguageQueryVision.apply(p, "fusion.1.lqv", v, l, m, h, w, t, c, cl).matched();
        Nd4j.getRandom().setSeed(4);
        INDArray vis = Nd4j.randn(DataType.DOUBLE, 1, h, w, c);
        INDArray a = Nd4j.randn(DataType.DOUBLE, 1, 1, cl);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 1, 1, cl);
        INDArray junk = Nd4j.randn(DataType.DOUBLE, 1, 2, cl).muli(10);
        INDArray padded = Nd4j.concat(1, a, b, junk);
        INDArray doubled = Nd4j.concat(1, a, b, a, b);
        INDArray f1 = sd.output(Map.of("V", vis, "L", padded, "mask", Nd4j.createFromArray(new double[][]{{1, 1, 0, 0}})), fm.name()).get(fm.name());
        INDArray f2 = sd.output(Map.of("V", vis, "L", doubled, "mask", Nd4j.createFromArray(new double[][]{{1, 1, 1, 1}})), fm.name()).get(fm.name());
        assertTrue(maxDiff(f1, f2) < 1e-12, "F_m differs: " + maxDiff(f1, f2));
        // and [a, a, a, b] weighs a three times: different
        INDArray triple = Nd4j.concat(1, a, a, a, b);
        INDArray f3 = sd.output(Map.of("V", vis, "L", triple, "mask", Nd4j.createFromArray(new double[][]{{1, 1, 1, 1}})), fm.name()).get(fm.name());
        assertTrue(maxDiff(f1, f3) > 1e-3);
    }

    /** vision_only ignores the title; mqn and no_vql depend on it and differ from each other. */
    @Test
    void variantsBuildAndDiffer() {
        Map<String, INDArray> ph = TinyMqn.batch(2, 3, DataType.FLOAT);
        Map<String, INDArray> other = new HashMap<>(ph);
        other.put("input_ids", TinyMqn.batch(2, 4, DataType.FLOAT).get("input_ids"));
        other.put("attention_mask", Nd4j.onesLike(ph.get("attention_mask")));
        Map<MqnConfig.Variant, INDArray> outs = new HashMap<>();
        for (MqnConfig.Variant v : MqnConfig.Variant.values()) {
            MqnNetwork net = MqnNetwork.build(TinyMqn.config(v), false);
            SameDiff sd = net.sameDiff();
            INDArray a = logits(sd, ph);
            INDArray b = logits(sd, other);
            outs.put(v, a);
            if (v == MqnConfig.Variant.VISION_ONLY) {
                assertEquals(0.0, maxDiff(a, b), "vision_only depends on the title");
                assertTrue(net.fusionVariables().stream().noneMatch(n -> n.startsWith("fusion.")));
                assertTrue(net.attentionNames().isEmpty());
            } else {
                assertTrue(maxDiff(a, b) > 1e-4, v + " ignores the title");
                assertEquals(v == MqnConfig.Variant.MQN, sd.hasVariable("fusion.1.vql.mk.weight"));
                assertTrue(sd.hasVariable("fusion.3.gate") && !sd.hasVariable("fusion.4.gate"));
            }
        }
        assertTrue(maxDiff(outs.get(MqnConfig.Variant.MQN), outs.get(MqnConfig.Variant.NO_VQL)) > 1e-4);
    }

    /** fusion_gate_init sets every gate; 0 (the default) starts closed. */
    @Test
    void gateInit() {
        MqnNetwork closed = MqnNetwork.build(TinyMqn.config(MqnConfig.Variant.MQN), false);
        assertEquals(0.0, closed.sameDiff().getVariable("fusion.2.gate").getArr().amaxNumber().doubleValue());
        MqnConfig cfg = TinyMqn.config(MqnConfig.Variant.MQN).toBuilder().fusionGateInit(0.5).build();
        INDArray g = MqnNetwork.build(cfg, false).sameDiff().getVariable("fusion.3.gate").getArr();
        assertEquals(0.5, g.minNumber().doubleValue(), 1e-7);
        assertEquals(0.5, g.maxNumber().doubleValue(), 1e-7);
    }

    /** A fusion placement builds fusion only there: stages 2 and 4. */
    @Test
    void fusionPlacement() {
        MqnConfig cfg = TinyMqn.config(MqnConfig.Variant.MQN).toBuilder().fusionStages(4, 2).build();
        MqnNetwork net = MqnNetwork.build(cfg, false);
        Set<String> stages = new HashSet<>();
        for (String n : net.fusionVariables()) {
            if (n.startsWith("fusion.")) {
                stages.add(n.split("\\.")[1]);
            }
        }
        assertEquals(Set.of("2", "4"), stages);
        assertEquals(List.of("fusion.2.vql.attention", "fusion.4.vql.attention"), net.attentionNames());
        Map<String, INDArray> ph = TinyMqn.batch(2, 5, DataType.FLOAT);
        assertArrayEquals(new long[]{2, 2, TinyMqn.S, TinyMqn.S}, logits(net.sameDiff(), ph).shape());
    }

    /** Swin, text and fusion variable lists partition the graph's variables; no-decay picks norms, biases, tables, gates. */
    @Test
    void variableGroups() {
        MqnNetwork net = MqnNetwork.build(TinyMqn.config(MqnConfig.Variant.MQN), false);
        List<String> all = new ArrayList<>();
        for (SDVariable v : net.sameDiff().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                all.add(v.name());
            }
        }
        Set<String> union = new HashSet<>(net.swinVariables());
        union.addAll(net.textVariables());
        union.addAll(net.fusionVariables());
        assertEquals(all.size(), net.swinVariables().size() + net.textVariables().size() + net.fusionVariables().size());
        assertEquals(new HashSet<>(all), union);
        assertTrue(net.swinVariables().contains("features.1.0.attn.qkv.weight"));
        assertTrue(net.swinVariables().contains("norm0.weight"));
        assertTrue(net.textVariables().contains("encoder.layer.0.attention.self.query.weight"));
        assertTrue(net.fusionVariables().contains("decoder.1.conv1.weight"));
        List<String> noDecay = net.noDecayVariables();
        assertTrue(noDecay.containsAll(List.of("features.1.0.attn.relative_position_bias_table", "norm3.bias",
                "embeddings.LayerNorm.weight", "decoder.2.norm1.weight", "fusion.1.gate", "fusion.1.vql.mk.bias")));
        assertFalse(noDecay.contains("features.1.0.attn.qkv.weight") || noDecay.contains("decoder.1.conv1.weight")
                || noDecay.contains("embeddings.word_embeddings.weight"));
    }

    /** Backprop against finite differences for the whole tiny network in double (1 random entry per array). */
    @Test
    void gradientsMatchFiniteDifferences() {
        gradientCheck(1);
    }

    /** The same with 4 random entries per array (a few minutes). */
    @Tag("slow")
    @Test
    void gradientsMatchFiniteDifferencesThorough() {
        gradientCheck(4);
    }

    private static void gradientCheck(int entriesPerArray) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MqnNetwork net = MqnNetwork.builder(TinyMqn.config(MqnConfig.Variant.MQN)).dataType(DataType.DOUBLE).build();
            SameDiff sd = net.sameDiff();
            Nd4j.getRandom().setSeed(9);
            for (SDVariable v : sd.variables()) { // open the gates so that the early-fusion path counts
                if (v.getVariableType() == VariableType.VARIABLE && v.name().endsWith(".gate")) {
                    v.getArr().assign(Nd4j.randn(DataType.DOUBLE, v.getArr().shape()));
                }
            }
            Map<String, INDArray> ph = TinyMqn.batch(2, 6, DataType.DOUBLE);
            // GradCheckUtil also checks float placeholders (image, target) and reads them from the graph
            sd.getVariable("input").setArray(ph.get("input"));
            sd.getVariable("target").setArray(ph.get("target"));
            boolean ok = GradCheckUtil.checkGradients(sd, ph, 1e-6, 1e-4, 1e-8, false, false, false, false,
                    null, null, entriesPerArray, GradCheckUtil.Subset.RANDOM);
            assertTrue(ok, "gradient check of the tiny MQN failed");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    /** Saved, then loaded in a fresh JVM without the builder code: identical outputs and gradients. */
    @Test
    void savedNetworkReloadsInNewJvm(@TempDir Path dir) throws Exception {
        MqnNetwork net = MqnNetwork.build(TinyMqn.config(MqnConfig.Variant.MQN), false);
        SameDiff sd = net.sameDiff();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.name().endsWith(".gate")) {
                v.getArr().assign(0.5);
            }
        }
        Path model = dir.resolve("mqn.sd");
        sd.save(model.toFile(), false);
        Map<String, INDArray> ph = TinyMqn.batch(2, 8, DataType.FLOAT);
        List<String> outs = List.of("logits", "probability", "loss", "fusion.1.vql.attention");
        List<String> grads = List.of("fusion.1.lqv.lq.weight", "features.1.0.attn.qkv.weight", "embeddings.word_embeddings.weight");
        Map<String, INDArray> child = NewJvm.run(model, ph, outs, grads, dir);
        Map<String, INDArray> here = sd.output(ph, outs.toArray(new String[0]));
        for (String o : outs) {
            assertEquals(here.get(o), child.get("out/" + o), o + " differs after reload");
        }
        Map<String, INDArray> g = sd.calculateGradients(ph, grads.toArray(new String[0]));
        for (String n : grads) {
            assertTrue(g.get(n).norm2Number().doubleValue() > 0, "zero gradient " + n);
            assertEquals(g.get(n), child.get("grad/" + n), "gradient of " + n + " differs after reload");
        }
    }

    /** The Dice term: the loss with dice_weight 1 minus the loss without equals 1 − (2Σpt+1)/(Σp+Σt+1), by hand. */
    @Test
    void diceTermIsTheSoftDiceOfTheProbability() {
        Map<String, INDArray> ph = TinyMqn.batch(3, 5, DataType.DOUBLE);
        MqnConfig plain = TinyMqn.config(MqnConfig.Variant.MQN);
        SameDiff a = MqnNetwork.builder(plain).dataType(DataType.DOUBLE).build().sameDiff();
        SameDiff b = MqnNetwork.builder(plain.toBuilder().diceWeight(1.0).build()).dataType(DataType.DOUBLE).build().sameDiff();
        Map<String, INDArray> outA = a.output(ph, "loss", "probability");
        double withDice = b.output(ph, "loss").get("loss").getDouble(0);
        INDArray p = outA.get("probability");
        INDArray t = ph.get("target");
        double dice = 0;
        for (int i = 0; i < 3; i++) {
            double inter = 0, sp = 0, st = 0;
            for (int y = 0; y < TinyMqn.S; y++) {
                for (int x = 0; x < TinyMqn.S; x++) {
                    double pv = p.getDouble(i, y, x);
                    double tv = t.getDouble(i, 0, y, x);
                    inter += pv * tv;
                    sp += pv;
                    st += tv;
                }
            }
            dice += 1 - (2 * inter + 1) / (sp + st + 1);
        }
        assertEquals(outA.get("loss").getDouble(0) + dice / 3, withDice, 1e-10);
    }

    /**
     * The grounding loss inside the network (TinyMqn's 36 px give padded stage maps 9, 5, 3, 2): the logits do not
     * change, and the loss grows by exactly grounding_weight × the formula applied to the network's own LQV responses.
     */
    @Test
    void groundingAddsItsFormulaToTheLossAndNothingToTheOutput() {
        Map<String, INDArray> ph = TinyMqn.batch(3, 5, DataType.DOUBLE);
        MqnConfig plain = TinyMqn.config(MqnConfig.Variant.MQN);
        SameDiff a = MqnNetwork.builder(plain).dataType(DataType.DOUBLE).build().sameDiff();
        SameDiff b = MqnNetwork.builder(plain.toBuilder().groundingWeight(0.5).build()).dataType(DataType.DOUBLE).build().sameDiff();
        double[][] naming = new double[3][TinyMqn.T];
        naming[0][1] = naming[0][2] = naming[2][3] = 1;
        Map<String, INDArray> phb = new HashMap<>(ph);
        phb.put(GroundingLoss.NAMING_TOKENS, Nd4j.createFromArray(naming));
        String[] responses = {"fusion.1.lqv.response", "fusion.2.lqv.response", "fusion.3.lqv.response", "fusion.4.lqv.response"};
        List<String> outs = new ArrayList<>(List.of("logits", "loss"));
        outs.addAll(List.of(responses));
        Map<String, INDArray> outB = b.output(phb, outs.toArray(new String[0]));
        Map<String, INDArray> outA = a.output(ph, "logits", "loss");
        assertEquals(0.0, maxDiff(outA.get("logits"), outB.get("logits")), 0.0);

        INDArray[] s = new INDArray[4];
        int[][] stages = {{9, 9, 4}, {5, 5, 8}, {3, 3, 16}, {2, 2, 32}};
        for (int i = 0; i < 4; i++) {
            s[i] = outB.get(responses[i]);
        }
        double[][] mask = new double[3][];
        INDArray m = ph.get("attention_mask");
        for (int i = 0; i < 3; i++) {
            mask[i] = m.getRow(i).castTo(DataType.DOUBLE).toDoubleVector();
        }
        double grounding = GroundingLossTest.handComputed(s, stages, new double[]{1, 1, 1, 1}, new double[4], ph.get("target"),
                new double[][][]{naming, naming, naming, naming}, naming, mask);
        assertTrue(grounding > 0);
        assertEquals(outA.get("loss").getDouble(0) + 0.5 * grounding, outB.get("loss").getDouble(0), 1e-10);

        // grounding_category_stages [3, 4]: at stages 1 and 2 only the colour word's characters (token 1) are targets
        SameDiff c = MqnNetwork.builder(plain.toBuilder().groundingWeight(0.5).groundingCategoryStages(3, 4).build())
                .dataType(DataType.DOUBLE).build().sameDiff();
        double[][] colour = new double[3][TinyMqn.T];
        colour[0][1] = 1;
        phb.put(GroundingLoss.COLOUR_TOKENS, Nd4j.createFromArray(colour));
        Map<String, INDArray> outC = c.output(phb, outs.toArray(new String[0]));
        for (int i = 0; i < 4; i++) {
            s[i] = outC.get(responses[i]);
        }
        double split = GroundingLossTest.handComputed(s, stages, new double[]{1, 1, 1, 1}, new double[4], ph.get("target"),
                new double[][][]{colour, colour, naming, naming}, naming, mask);
        assertTrue(Math.abs(split - grounding) > 1e-3, split + " vs " + grounding);
        assertEquals(outA.get("loss").getDouble(0) + 0.5 * split, outC.get("loss").getDouble(0), 1e-10);
    }
}
