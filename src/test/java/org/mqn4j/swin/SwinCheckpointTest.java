package org.mqn4j.swin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mqn4j.io.LoadReport;
import org.mqn4j.swin.SwinCheckpoint.Scheme;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Renaming and inference against torchvision's own state_dict listing (tools/swin_checkpoint_fixtures.py). */
class SwinCheckpointTest {
    private static final Pattern FEATURE = Pattern.compile("features\\.(\\d+)\\.(.+)");

    static Map<String, long[]> torchvision(String model) throws IOException {
        try (InputStream in = SwinCheckpointTest.class.getResourceAsStream("/fixtures/swin/torchvision_shapes.json")) {
            Map<String, Map<String, long[]>> all = new ObjectMapper().readValue(in, new TypeReference<>() { });
            return all.get(model);
        }
    }

    /**
     * The test's own inverse of the renaming: torchvision names into the official Swin / LAVT names
     * (downsample at the end of stage i) or timm's (downsample at the start of stage i+1, head.fc).
     */
    static String fromTorchvision(String tv, Scheme scheme) {
        if (scheme == Scheme.TORCHVISION) {
            return tv;
        }
        if (tv.startsWith("features.0.0.")) {
            return "patch_embed.proj." + tv.substring(13);
        }
        if (tv.startsWith("features.0.2.")) {
            return "patch_embed.norm." + tv.substring(13);
        }
        if (tv.startsWith("head.")) {
            return scheme == Scheme.TIMM ? "head.fc." + tv.substring(5) : tv;
        }
        Matcher m = FEATURE.matcher(tv);
        if (!m.matches()) {
            return tv; // norm.*
        }
        int k = Integer.parseInt(m.group(1));
        String rest = m.group(2);
        if (k % 2 == 1) {
            rest = rest.replace(".mlp.0.", ".mlp.fc1.").replace(".mlp.3.", ".mlp.fc2.");
            return "layers." + (k - 1) / 2 + ".blocks." + rest;
        }
        int stage = (k - 2) / 2;
        return "layers." + (scheme == Scheme.TIMM ? stage + 1 : stage) + ".downsample." + rest;
    }

    private static Map<String, long[]> renamed(Map<String, long[]> tv, Scheme scheme, String prefix) {
        Map<String, long[]> out = new LinkedHashMap<>();
        tv.forEach((k, v) -> out.put(prefix + fromTorchvision(k, scheme), v));
        return out;
    }

    private static Map<String, long[]> parameters(Map<String, long[]> tv) {
        Map<String, long[]> p = new LinkedHashMap<>(tv);
        p.keySet().removeIf(k -> k.endsWith("relative_position_index"));
        return p;
    }

    private static final SwinConfig SWIN_T = SwinConfig.builder().patchSize(4).embedDim(96).depths(2, 2, 6, 2)
            .numHeads(3, 6, 12, 24).windowSize(7).mlpRatio(4).build();
    private static final SwinConfig SWIN_B = SwinConfig.builder().patchSize(4).embedDim(128).depths(2, 2, 18, 2)
            .numHeads(4, 8, 16, 32).windowSize(7).mlpRatio(4).build();

    private static void assertRoundTrip(SwinCheckpoint c, Map<String, long[]> tv, String prefix, Scheme scheme) {
        Map<String, long[]> params = parameters(tv);
        assertEquals(scheme, c.scheme());
        assertEquals(prefix, c.prefix());
        assertEquals(params.size(), c.torchvisionNames().size());
        params.forEach((name, shape) -> {
            String original = prefix + fromTorchvision(name, scheme);
            assertEquals(name, c.torchvisionNames().get(original), original);
            assertArrayEquals(shape, c.shapes().get(name), name);
        });
        assertEquals(tv.size() - params.size(), c.dropped().size(), "the relative_position_index buffers");
    }

    @Test
    void torchvisionNamesAreKept() throws IOException {
        for (String model : List.of("swin_t", "swin_b")) {
            Map<String, long[]> tv = torchvision(model);
            SwinCheckpoint c = SwinCheckpoint.ofShapes(tv, model);
            assertRoundTrip(c, tv, "", Scheme.TORCHVISION);
            assertEquals(model.equals("swin_t") ? SWIN_T : SWIN_B, c.config());
            assertTrue(c.foreign().isEmpty());
        }
    }

    @Test
    void officialNamesRoundTrip() throws IOException {
        for (String model : List.of("swin_t", "swin_b")) {
            Map<String, long[]> tv = torchvision(model);
            Map<String, long[]> official = renamed(tv, Scheme.OFFICIAL, "");
            assertTrue(official.containsKey("layers.0.downsample.reduction.weight"));
            assertTrue(official.containsKey("layers.2.blocks.5.mlp.fc2.bias"));
            official.put("layers.0.blocks.1.attn_mask", new long[]{64, 49, 49}); // a buffer of the official code
            SwinCheckpoint c = SwinCheckpoint.ofShapes(official, model);
            assertEquals(tv.size() - parameters(tv).size() + 1, c.dropped().size());
            official.remove("layers.0.blocks.1.attn_mask");
            assertRoundTrip(SwinCheckpoint.ofShapes(official, model), tv, "", Scheme.OFFICIAL);
            assertEquals(model.equals("swin_t") ? SWIN_T : SWIN_B, c.config());
        }
    }

    @Test
    void timmNamesRoundTrip() throws IOException {
        for (String model : List.of("swin_t", "swin_b")) {
            Map<String, long[]> tv = torchvision(model);
            Map<String, long[]> timm = renamed(tv, Scheme.TIMM, "");
            assertTrue(timm.containsKey("layers.1.downsample.reduction.weight"));
            assertTrue(timm.containsKey("layers.3.downsample.norm.bias"));
            assertTrue(timm.containsKey("head.fc.weight"));
            SwinCheckpoint c = SwinCheckpoint.ofShapes(timm, model);
            assertRoundTrip(c, tv, "", Scheme.TIMM);
            assertEquals("features.6.reduction.weight", c.torchvisionNames().get("layers.3.downsample.reduction.weight"));
            assertEquals(model.equals("swin_t") ? SWIN_T : SWIN_B, c.config());
        }
    }

    /** LAVT: a whole model's state dict, backbone prefixed, window 12, per-stage norms, fusion modules. */
    @Test
    void lavtCheckpoint() throws IOException {
        Map<String, long[]> tv = torchvision("swin_b");
        Map<String, long[]> lavt = new LinkedHashMap<>();
        tv.forEach((k, v) -> {
            long[] s = k.endsWith("relative_position_bias_table") ? new long[]{23 * 23, v[1]} : v;
            if (!k.startsWith("head.")) {
                lavt.put("backbone." + fromTorchvision(k, Scheme.OFFICIAL), s);
            }
        });
        for (int i = 0; i < 4; i++) {
            lavt.put("backbone.norm" + i + ".weight", new long[]{128L << i});
            lavt.put("backbone.norm" + i + ".bias", new long[]{128L << i});
        }
        lavt.put("backbone.layers.0.fusion.vis_project.0.weight", new long[]{128, 128, 1});
        lavt.put("backbone.layers.0.res_gate.0.weight", new long[]{128, 128});
        lavt.put("classifier.conv1_4.weight", new long[]{512, 1536, 3, 3});
        lavt.put("text_encoder.embeddings.word_embeddings.weight", new long[]{30522, 768});
        SwinCheckpoint c = SwinCheckpoint.ofShapes(lavt, "lavt");
        assertEquals(Scheme.OFFICIAL, c.scheme());
        assertEquals("backbone.", c.prefix());
        assertEquals(SWIN_B.toBuilder().windowSize(12).build(), c.config());
        assertEquals("norm3.weight", c.torchvisionNames().get("backbone.norm3.weight"));
        assertEquals("features.2.norm.bias", c.torchvisionNames().get("backbone.layers.0.downsample.norm.bias"));
        assertEquals(List.of("backbone.layers.0.fusion.vis_project.0.weight", "backbone.layers.0.res_gate.0.weight",
                "classifier.conv1_4.weight", "text_encoder.embeddings.word_embeddings.weight"), c.foreign());
    }

    @Test
    void refusesAbsolutePositionEmbedding() throws IOException {
        Map<String, long[]> official = renamed(torchvision("swin_t"), Scheme.OFFICIAL, "");
        official.put("absolute_pos_embed", new long[]{1, 3136, 96});
        String m = assertThrows(MqnException.class, () -> SwinCheckpoint.ofShapes(official, "ape.safetensors")).getMessage();
        assertTrue(m.contains("absolute_pos_embed") && m.contains("ape=True"), m);
    }

    @Test
    void notASwin() {
        Map<String, long[]> bert = Map.of("encoder.layer.0.attention.self.query.weight", new long[]{768, 768});
        String m = assertThrows(MqnException.class, () -> SwinCheckpoint.ofShapes(bert, "bert.safetensors")).getMessage();
        assertTrue(m.contains("bert.safetensors") && m.contains("not a Swin checkpoint"), m);
    }

    @Test
    void badBiasTable() throws IOException {
        Map<String, long[]> tv = new LinkedHashMap<>(torchvision("swin_t"));
        tv.put("features.3.0.attn.relative_position_bias_table", new long[]{170, 6});
        String m = assertThrows(MqnException.class, () -> SwinCheckpoint.ofShapes(tv, "x")).getMessage();
        assertTrue(m.contains("features.3.0.attn.relative_position_bias_table") && m.contains("[170, 6]"), m);
        Map<String, long[]> narrow = new LinkedHashMap<>(torchvision("swin_t"));
        narrow.put("features.5.0.norm1.weight", new long[]{300});
        String w = assertThrows(MqnException.class, () -> SwinCheckpoint.ofShapes(narrow, "x")).getMessage();
        assertTrue(w.contains("stage 3 has width 300") && w.contains("needs 384"), w);
    }

    /**
     * Values: a timm-named swin_t with random tensors loads into a graph of torchvision-named
     * variables, each variable receiving exactly its tensor; then again at window 12 with the
     * tables resized.
     */
    @Test
    void loadsValuesIntoTorchvisionNamedGraph() throws IOException {
        Map<String, long[]> tv = parameters(torchvision("swin_t"));
        Map<String, INDArray> timm = new LinkedHashMap<>();
        Nd4j.getRandom().setSeed(3);
        tv.forEach((k, s) -> timm.put(fromTorchvision(k, Scheme.TIMM), Nd4j.rand(DataType.FLOAT, s)));
        timm.put("layers.0.blocks.0.attn.relative_position_index", Nd4j.zeros(DataType.LONG, 49 * 49));
        SameDiff sd = SameDiff.create();
        tv.forEach((k, s) -> sd.var(k, Nd4j.zeros(DataType.FLOAT, s)));
        LoadReport r = SwinCheckpoint.of(timm, "timm").loadInto(sd, 7, true);
        assertEquals(tv.size(), r.loaded().size());
        assertTrue(r.unused().isEmpty() && r.missing().isEmpty(), r.toString());
        assertEquals("head.weight", r.renamed().get("head.fc.weight"));
        assertTrue(r.toString().contains("dropped 1 buffers"), r.toString());
        tv.keySet().forEach(k -> assertEquals(timm.get(fromTorchvision(k, Scheme.TIMM)), sd.getVariable(k).getArr(), k));

        SameDiff w12 = SameDiff.create();
        tv.forEach((k, s) -> w12.var(k, Nd4j.zeros(DataType.FLOAT,
                k.endsWith("bias_table") ? new long[]{23 * 23, s[1]} : s)));
        LoadReport r12 = SwinCheckpoint.of(timm, "timm").loadInto(w12, 12, true);
        assertTrue(r12.notes().contains("resized 12 relative position bias tables (bicubic) from window 7 to 12"), r12.toString());
        String table = "features.5.3.attn.relative_position_bias_table";
        assertEquals(BiasTableResize.resize(timm.get("layers.2.blocks.3.attn.relative_position_bias_table"), 12),
                w12.getVariable(table).getArr());
    }
}
