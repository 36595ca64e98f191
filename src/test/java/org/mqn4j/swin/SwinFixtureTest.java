package org.mqn4j.swin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed torchvision fixtures (tools/swin_fixtures.py): stage outputs and logits match
 * torchvision 0.14 to float32 precision, with and without padding.
 */
class SwinFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"w3_96x96", "w4_76x60"})
    void matchesTorchvision(String fixture) throws Exception {
        check(Fixtures.DIR.resolve(fixture), fixture);
    }

    /**
     * A fixture written by {@code tools/swin_fixtures.py swin_t DIR --size 480}, given as
     * {@code -Dmqn.swin.fixture=DIR} (e.g. torchvision swin_t at 224 and 480 px; not committed).
     */
    @Tag("slow")
    @Test
    void matchesExternalFixture() throws Exception {
        String dir = System.getProperty("mqn.swin.fixture");
        Assumptions.assumeTrue(dir != null, "set -Dmqn.swin.fixture=DIR");
        for (String d : dir.split(",")) {
            check(Path.of(d), d);
        }
    }

    private static void check(Path dir, String fixture) throws Exception {
        Map<String, String> meta = new HashMap<>();
        Map<String, INDArray> weights = Fixtures.read(dir.resolve("weights.safetensors"), meta);
        Map<String, INDArray> io = Fixtures.read(dir.resolve("io.safetensors"), new HashMap<>());
        JsonNode c = Fixtures.config(meta);

        SameDiff sd = SameDiff.create();
        SwinTransformer swin = SwinTransformer.create(sd, Fixtures.swinConfig(c), c.get("height").asInt(), c.get("width").asInt());
        List<SDVariable> stages = swin.features(swin.input());
        swin.classifier(stages.get(stages.size() - 1), c.get("num_classes").asInt());
        Fixtures.assign(sd, weights);

        List<String> names = new ArrayList<>(List.of("stage1", "stage2", "stage3", "stage4", "logits"));
        Map<String, INDArray> out = sd.output(Map.of("input", io.get("input")), names.toArray(new String[0]));
        for (String name : names) {
            INDArray ref = io.get(name);
            INDArray got = out.get(name);
            assertArrayEquals(ref.shape(), got.shape(), name + " shape");
            double maxAbs = Transforms.abs(got.sub(ref)).maxNumber().doubleValue();
            double rel = got.sub(ref).norm2Number().doubleValue() / ref.norm2Number().doubleValue();
            System.out.printf("fixture %s %s max|err| %.3g rel %.3g%n", fixture, name, maxAbs, rel);
            assertTrue(maxAbs <= 1e-4 && rel <= 1e-4, fixture + " " + name + ": max abs " + maxAbs + ", rel " + rel);
        }
    }
}
