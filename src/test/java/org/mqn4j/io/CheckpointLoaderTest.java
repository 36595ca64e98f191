package org.mqn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointLoaderTest {
    @TempDir
    Path dir;

    /** y = x · W^T + b, torch Linear layout: W [out=2, in=3]. */
    private static SameDiff linear() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("fc.weight", Nd4j.zeros(DataType.FLOAT, 2, 3));
        SDVariable b = sd.var("fc.bias", Nd4j.zeros(DataType.FLOAT, 2));
        sd.constant("table", Nd4j.ones(DataType.FLOAT, 4));
        sd.mmul(x, w, false, true, false).add("y", b);
        return sd;
    }

    private static Map<String, INDArray> weights() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("fc.weight", Nd4j.createFromArray(new float[][]{{1, 2, 3}, {-1, 0, 0.5f}}));
        m.put("fc.bias", Nd4j.createFromArray(10f, 20f));
        m.put("head.weight", Nd4j.ones(DataType.FLOAT, 5));
        return m;
    }

    private static float[] run(SameDiff sd) {
        INDArray x = Nd4j.createFromArray(new float[][]{{1, 1, 2}});
        return sd.output(Map.of("x", x), "y").get("y").reshape(-1).toFloatVector();
    }

    @Test
    void loadsByNameAndReports() {
        SameDiff sd = linear();
        LoadReport r = CheckpointLoader.load(sd, weights(), true);
        // by hand: [1,1,2]·[1,2,3] + 10 = 19; [1,1,2]·[-1,0,0.5] + 20 = 20
        assertArrayEquals(new float[]{19, 20}, run(sd), 0f);
        assertEquals(List.of("fc.weight", "fc.bias"), r.loaded());
        assertEquals(List.of("head.weight"), r.unused());
        assertTrue(r.missing().isEmpty() && r.complete());
        assertTrue(r.toString().startsWith("loaded 2 of 2 graph variables from memory"), r.toString());
        assertTrue(r.toString().contains("unused (tensors without a graph variable): 1\n    head.weight"), r.toString());
    }

    @Test
    void castsDtype() {
        SameDiff sd = linear();
        Map<String, INDArray> w = weights();
        w.replaceAll((k, v) -> v.castTo(DataType.DOUBLE));
        CheckpointLoader.load(sd, w, true);
        assertEquals(DataType.FLOAT, sd.getVariable("fc.weight").getArr().dataType());
        assertArrayEquals(new float[]{19, 20}, run(sd), 0f);
    }

    @Test
    void shapeMismatchNamesTensorAndBothShapesAndChangesNothing() {
        SameDiff sd = linear();
        Map<String, INDArray> w = weights();
        w.put("fc.bias", Nd4j.ones(DataType.FLOAT, 3));
        String m = assertThrows(MqnException.class, () -> CheckpointLoader.load(sd, w, false)).getMessage();
        assertTrue(m.contains("'fc.bias'") && m.contains("[3]") && m.contains("expects [2]"), m);
        assertArrayEquals(new float[]{0, 0}, run(sd), 0f, "fc.weight must not be half-loaded");
    }

    @Test
    void missingVariables() {
        SameDiff sd = linear();
        Map<String, INDArray> w = weights();
        w.remove("fc.bias");
        String m = assertThrows(MqnException.class, () -> CheckpointLoader.load(sd, w, true)).getMessage();
        assertTrue(m.contains("lacks 1 of the graph's 2 variables") && m.contains("fc.bias"), m);
        LoadReport r = CheckpointLoader.load(sd, w, false);
        assertEquals(List.of("fc.bias"), r.missing());
        assertTrue(r.toString().contains("missing (graph variables without a tensor): 1\n    fc.bias"), r.toString());
        assertArrayEquals(new float[]{9, 0}, run(sd), 0f);
    }

    @Test
    void constantsAndPlaceholdersAreNotTargets() {
        SameDiff sd = linear();
        Map<String, INDArray> w = weights();
        w.put("table", Nd4j.zeros(DataType.FLOAT, 4));
        w.put("x", Nd4j.zeros(DataType.FLOAT, 1, 3));
        LoadReport r = CheckpointLoader.load(sd, w, true);
        assertEquals(List.of("head.weight", "table", "x"), r.unused());
        assertEquals(4f, sd.getVariable("table").getArr().sumNumber().floatValue());
    }

    @Test
    void renamesAndDrops() {
        SameDiff sd = linear();
        Map<String, INDArray> w = new LinkedHashMap<>();
        weights().forEach((k, v) -> w.put("model." + k, v));
        LoadReport r = CheckpointLoader.load(sd, w,
                n -> n.startsWith("model.head") ? null : n.substring("model.".length()), true, "test");
        assertArrayEquals(new float[]{19, 20}, run(sd), 0f);
        assertEquals("fc.weight", r.renamed().get("model.fc.weight"));
        assertEquals(List.of("model.head.weight"), r.unused());
        String dup = assertThrows(MqnException.class, () -> CheckpointLoader.load(sd, w, n -> "fc.bias", true, "test"))
                .getMessage();
        assertTrue(dup.contains("both map to graph variable 'fc.bias'"), dup);
    }

    @Test
    void loadsFromSafetensorsFile() {
        Path p = dir.resolve("w.safetensors");
        Map<String, INDArray> w = weights();
        w.put("fc.weight", w.get("fc.weight").castTo(DataType.HALF)); // F16 in the file
        SafetensorsWriter.write(p, w, null);
        SameDiff sd = linear();
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            LoadReport r = CheckpointLoader.load(sd, f, n -> n, true);
            assertEquals(p.toString(), r.source());
            assertEquals(List.of("head.weight"), r.unused());
        }
        assertArrayEquals(new float[]{19, 20}, run(sd), 0f);
    }
}
