package org.mqn4j.swin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test-only reader of the committed safetensors fixtures (F32 and I64) and weight assignment by
 * name. To be replaced by org.mqn4j.io.SafetensorsFile once the ckpt branch is merged.
 */
final class Fixtures {
    static final Path DIR = Path.of("src/test/resources/fixtures/swin");

    private Fixtures() {
    }

    /** All tensors of a safetensors file; the metadata under key "__metadata__" is returned in {@code meta}. */
    static Map<String, INDArray> read(Path file, Map<String, String> meta) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, n, StandardCharsets.UTF_8));
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode t = e.getValue();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            int start = 8 + n + t.get("data_offsets").get(0).asInt();
            int end = 8 + n + t.get("data_offsets").get(1).asInt();
            ByteBuffer slice = ByteBuffer.wrap(all, start, end - start).order(ByteOrder.LITTLE_ENDIAN);
            INDArray a;
            switch (t.get("dtype").asText()) {
                case "F32" -> {
                    float[] f = new float[(end - start) / 4];
                    slice.asFloatBuffer().get(f);
                    a = Nd4j.createFromArray(f);
                }
                case "I64" -> {
                    long[] l = new long[(end - start) / 8];
                    slice.asLongBuffer().get(l);
                    a = Nd4j.createFromArray(l);
                }
                default -> throw new IOException("unsupported dtype in " + file + ": " + t);
            }
            out.put(e.getKey(), shape.length == 0 ? a.reshape() : a.reshape(shape));
        }
        return out;
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
