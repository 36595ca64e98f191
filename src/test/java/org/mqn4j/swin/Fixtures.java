package org.mqn4j.swin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mqn4j.io.SafetensorsFile;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The committed torchvision fixtures: reading them and a strict assignment of weights by plain
 * name (independent of org.mqn4j.io.CheckpointLoader, so the graph's names are tested on their own).
 */
final class Fixtures {
    static final Path DIR = Path.of("src/test/resources/fixtures/swin");

    private Fixtures() {
    }

    /** All tensors of a safetensors file (copied out of the mapping); its metadata goes to {@code meta}. */
    static Map<String, INDArray> read(Path file, Map<String, String> meta) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            meta.putAll(f.metadata());
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (String name : new TreeSet<>(f.names())) {
                out.put(name, f.get(name).dup());
            }
            return out;
        }
    }

    /**
     * Sets every trainable variable of {@code sd} from {@code weights} by name; fails on a missing
     * tensor, a shape mismatch or an unused tensor other than relative_position_index buffers.
     */
    static void assign(SameDiff sd, Map<String, INDArray> weights) {
        TreeSet<String> unused = new TreeSet<>(weights.keySet());
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            INDArray w = weights.get(v.name());
            if (w == null) {
                throw new AssertionError("missing tensor " + v.name());
            }
            if (!java.util.Arrays.equals(w.shape(), v.getArr().shape())) {
                throw new AssertionError(v.name() + ": shape " + java.util.Arrays.toString(w.shape())
                        + " vs graph " + java.util.Arrays.toString(v.getArr().shape()));
            }
            v.getArr().assign(w.castTo(v.dataType()));
            unused.remove(v.name());
        }
        unused.removeIf(s -> s.endsWith("relative_position_index"));
        if (!unused.isEmpty()) {
            throw new AssertionError("unused tensors: " + unused);
        }
    }

    /** The fixture's SwinConfig and input size from the "config" metadata the script writes. */
    static JsonNode config(Map<String, String> meta) throws IOException {
        return new ObjectMapper().readTree(meta.get("config"));
    }

    static SwinConfig swinConfig(JsonNode c) {
        int[] depths = new ObjectMapper().convertValue(c.get("depths"), int[].class);
        int[] heads = new ObjectMapper().convertValue(c.get("num_heads"), int[].class);
        return SwinConfig.builder().patchSize(c.get("patch_size").asInt()).embedDim(c.get("embed_dim").asInt())
                .depths(depths).numHeads(heads).windowSize(c.get("window_size").asInt())
                .mlpRatio(c.get("mlp_ratio").asDouble()).build();
    }
}
