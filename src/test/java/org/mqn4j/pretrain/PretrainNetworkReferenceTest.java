package org.mqn4j.pretrain;

import org.junit.jupiter.api.Test;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.text.TextConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pretraining graph (encoder, masked-LM head, two attribute heads, category head, weighted
 * losses) against the plain-torch reference of tools/pretrain_fixtures.py: logits, every loss, and the
 * gradient of the total loss for every parameter. The gradients catch ops whose backward pass ignores
 * the loss weights (ND4J's own loss ops do).
 */
class PretrainNetworkReferenceTest {

    @Test
    void logitsLossesAndGradientsMatchTorch() throws Exception {
        Path dir = Path.of(getClass().getResource("/fixtures/pretrain/config.json").toURI()).getParent();
        TextConfig text = TextConfig.load(dir.resolve("config.json"));
        PretrainLabels labels = new PretrainLabels(Map.of("color", List.of("none", "a", "b", "c"),
                "size", List.of("none", "s", "m")), List.of("none", "x", "y"));
        PretrainNetwork net = PretrainNetwork.build(text, 8, labels, 1.0, 0.5, 2.0, 7);
        SameDiff sd = net.sameDiff();

        List<String> params = new ArrayList<>();
        try (SafetensorsFile w = SafetensorsFile.open(dir.resolve("weights.safetensors"))) {
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    assertTrue(w.names().contains(v.name()), "the fixture lacks " + v.name());
                    v.getArr().assign(w.get(v.name()));
                    params.add(v.name());
                }
            }
            assertEquals(w.names().size(), params.size(), "every reference parameter is a graph variable");
        }
        Map<String, INDArray> ph = new HashMap<>();
        Map<String, INDArray> want = new LinkedHashMap<>();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"))) {
            for (String n : io.names()) {
                INDArray a = io.get(n).dup();
                if (n.startsWith("out.")) {
                    want.put(n.substring(4), a);
                } else if (n.startsWith("grad.")) {
                    grads.put(n.substring(5), a);
                } else {
                    ph.put(n, n.endsWith("weights") || n.equals("mlm_positions") ? a.castTo(DataType.FLOAT) : a);
                }
            }
        }
        Map<String, INDArray> got = sd.output(ph, want.keySet().toArray(new String[0]));
        for (Map.Entry<String, INDArray> e : want.entrySet()) {
            INDArray g = got.get(e.getKey()).reshape(e.getValue().shape());
            double err = g.sub(e.getValue()).norm2Number().doubleValue() / Math.max(1e-6, e.getValue().norm2Number().doubleValue());
            System.out.printf("%-22s relative error %.2e%n", e.getKey(), err);
            assertTrue(err < 1e-5, e.getKey() + ": relative error " + err);
        }
        Map<String, INDArray> dl = org.mqn4j.util.StdoutGuard.toStderr(() -> sd.calculateGradients(ph, params));
        for (String p : params) {
            // relative, with an absolute floor for gradients that are zero in exact arithmetic (the key bias)
            INDArray ref = grads.get(p);
            double diff = dl.get(p).sub(ref).norm2Number().doubleValue();
            double bound = 1e-4 * ref.norm2Number().doubleValue() + 1e-6;
            assertTrue(diff < bound, "gradient of " + p + ": |diff| " + diff + " > " + bound);
        }
        assertTrue(grads.get("heads.attribute.size.query").norm2Number().doubleValue() > 0, "a live gradient is compared");
    }
}
