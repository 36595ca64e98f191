package org.mqn4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.io.GraphFile;
import org.mqn4j.text.WordPieceVocab;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A trained MQN as one file for serving ({@code model.mqn}, a zip archive):
 * <pre>
 *   model.json   format "mqn4j-model", format_version 1, mqn4j_version, preprocessing (image_size, mean, std,
 *                max_title_length, lower_case, threshold), outputs (probability, logits, attentions), the
 *                model config ({@link MqnConfig#toTree()}) and the graph's entry name
 *   vocab.txt    the tokenizer vocabulary, one token per line (UTF-8)
 *   model.sd     the inference graph with its weights (SameDiff FlatBuffers, no updater state)
 * </pre>
 * Written atomically (a temporary file, then a rename). Reading checks the archive, its entries
 * (each entry's CRC-32 recomputed), the format version and the graph's placeholders, with an {@link MqnException}
 * naming the file and what is wrong.
 */
public final class ExportedModel {
    public static final String FORMAT = "mqn4j-model";
    public static final int FORMAT_VERSION = 1;
    public static final String MQN4J_VERSION = "0.1.0";
    static final String JSON_ENTRY = "model.json";
    static final String VOCAB_ENTRY = "vocab.txt";
    static final String GRAPH_ENTRY = "model.sd";
    static final String PROBABILITY = "probability";
    static final String LOGITS = "logits";
    static final List<String> INPUTS = List.of("input", "input_ids", "attention_mask");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SameDiff graph;
    private final MqnConfig config;
    private final WordPieceVocab vocab;
    private final Preprocessing preprocessing;
    private final List<String> attentionNames;
    private final String version;

    public ExportedModel(SameDiff graph, MqnConfig config, WordPieceVocab vocab, Preprocessing preprocessing,
                         List<String> attentionNames, String version) {
        this.graph = graph;
        this.config = config;
        this.vocab = vocab;
        this.preprocessing = preprocessing;
        this.attentionNames = List.copyOf(attentionNames);
        this.version = version;
    }

    /** An in-memory network with the training pipeline's preprocessing and the built-in vocabulary. */
    public static ExportedModel of(MqnNetwork net) {
        MqnConfig c = net.config();
        return new ExportedModel(net.sameDiff(), c, c.wordPieceVocab(),
                Preprocessing.training(c.imageSize(), c.maxTitleLength()), net.attentionNames(), MQN4J_VERSION);
    }

    /**
     * The inference network of {@code config} (no stochastic depth) with every trainable variable
     * copied from {@code weights}, e.g. a training checkpoint's graph (its updater state is left behind).
     *
     * @param source names the weights in error messages
     */
    public static ExportedModel fromWeights(MqnConfig config, SameDiff weights, String source) {
        MqnNetwork net = MqnNetwork.build(config, false);
        for (SDVariable v : net.sameDiff().variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            INDArray src = weights.hasVariable(v.name()) ? weights.getArrForVarName(v.name()) : null;
            if (src == null) {
                throw new MqnException(source + " has no weights '" + v.name() + "' that the configured model needs"
                        + " (a different model config?)");
            }
            if (!Arrays.equals(src.shape(), v.getArr().shape())) {
                throw new MqnException(source + ": weights '" + v.name() + "' have shape " + Arrays.toString(src.shape())
                        + ", the configured model needs " + Arrays.toString(v.getArr().shape()));
            }
            v.getArr().assign(src);
        }
        return of(net);
    }

    public SameDiff graph() {
        return graph;
    }

    public MqnConfig config() {
        return config;
    }

    public WordPieceVocab vocab() {
        return vocab;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Outputs {@code fusion.{i}.vql.attention} [B,N_i,T], stage order; empty for the ablation variants. */
    public List<String> attentionNames() {
        return attentionNames;
    }

    /** The mqn4j version that wrote the file. */
    public String version() {
        return version;
    }

    /** Writes the export file atomically. */
    public void write(Path file) {
        byte[] json = (toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (String t : vocab.tokens()) {
            sb.append(t).append('\n');
        }
        byte[] vocabBytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        GraphFile.writeAtomically(file, tmp -> {
            Path sd = Files.createTempFile("mqn-export", ".sd");
            try {
                graph.save(sd.toFile(), false);
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                    put(zip, JSON_ENTRY, json);
                    put(zip, VOCAB_ENTRY, vocabBytes);
                    zip.putNextEntry(new ZipEntry(GRAPH_ENTRY));
                    Files.copy(sd, zip);
                    zip.closeEntry();
                }
            } finally {
                Files.deleteIfExists(sd);
            }
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("format_version", FORMAT_VERSION);
        o.put("mqn4j_version", version);
        ObjectNode p = o.putObject("preprocessing");
        p.put("image_size", preprocessing.imageSize());
        ArrayNode mean = p.putArray("mean");
        ArrayNode std = p.putArray("std");
        for (int c = 0; c < 3; c++) {
            mean.add(preprocessing.mean()[c]);
            std.add(preprocessing.std()[c]);
        }
        p.put("max_title_length", preprocessing.maxTitleLength());
        p.put("lower_case", preprocessing.lowerCase());
        p.put("threshold", preprocessing.threshold());
        ObjectNode outs = o.putObject("outputs");
        outs.put("probability", PROBABILITY);
        outs.put("logits", LOGITS);
        ArrayNode att = outs.putArray("attentions");
        attentionNames.forEach(att::add);
        o.put("graph", GRAPH_ENTRY);
        o.put("vocab", VOCAB_ENTRY);
        o.set("model", config.toTree());
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and checks an export file. */
    public static ExportedModel read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MqnException("model file " + file + " does not exist");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode json = parseJson(file, entry(zip, file, JSON_ENTRY));
            if (!FORMAT.equals(json.path("format").asText())) {
                throw new MqnException(file + " is not an mqn4j model file (" + JSON_ENTRY + " has format '"
                        + json.path("format").asText() + "', expected '" + FORMAT + "')");
            }
            int fv = json.path("format_version").asInt(-1);
            if (fv != FORMAT_VERSION) {
                throw new MqnException(file + " has model format version " + fv + " (written by mqn4j "
                        + json.path("mqn4j_version").asText("?") + "); this mqn4j (" + MQN4J_VERSION
                        + ") reads version " + FORMAT_VERSION);
            }
            Preprocessing pre;
            MqnConfig config;
            List<String> attentions = new ArrayList<>();
            try {
                JsonNode p = json.get("preprocessing");
                pre = new Preprocessing(p.get("image_size").asInt(), floats(p.get("mean")), floats(p.get("std")),
                        p.get("max_title_length").asInt(), p.get("lower_case").asBoolean(), p.get("threshold").asDouble());
                json.path("outputs").path("attentions").forEach(a -> attentions.add(a.asText()));
                config = MqnConfig.fromTree(json.get("model"), null, file + "!" + JSON_ENTRY);
            } catch (NullPointerException | IllegalArgumentException e) {
                throw new MqnException(file + ": " + JSON_ENTRY + " lacks a setting or has a bad one ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
            }
            WordPieceVocab vocab = WordPieceVocab.of(lines(new String(entry(zip, file, VOCAB_ENTRY), StandardCharsets.UTF_8)),
                    file + "!" + VOCAB_ENTRY);
            SameDiff graph = readGraph(zip, file);
            for (String name : concat(INPUTS, List.of(PROBABILITY), attentions)) {
                if (!graph.hasVariable(name)) {
                    throw new MqnException(file + ": the graph in " + GRAPH_ENTRY + " has no variable '" + name
                            + "' (not an MQN inference graph)");
                }
            }
            return new ExportedModel(graph, config, vocab, pre, attentions, json.path("mqn4j_version").asText("?"));
        } catch (ZipException e) {
            throw new MqnException(file + " is not an mqn4j model file: not a readable zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new MqnException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] entry(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new MqnException(file + " is not a complete mqn4j model file: entry '" + name + "' is missing");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        copyChecked(zip, e, file, out);
        return out.toByteArray();
    }

    /** Copies an entry's bytes, checking its CRC-32 (ZipFile, unlike ZipInputStream, does not). */
    private static void copyChecked(ZipFile zip, ZipEntry e, Path file, OutputStream out) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
            in.transferTo(out);
        } catch (ZipException | java.io.EOFException ex) {
            throw new MqnException(file + ": entry '" + e.getName() + "' is damaged (" + ex.getMessage() + ")", ex);
        }
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw new MqnException(file + ": entry '" + e.getName() + "' is damaged (its CRC-32 differs from the one "
                    + "recorded in the archive)");
        }
    }

    private static SameDiff readGraph(ZipFile zip, Path file) throws IOException {
        ZipEntry e = zip.getEntry(GRAPH_ENTRY);
        if (e == null) {
            throw new MqnException(file + " is not a complete mqn4j model file: entry '" + GRAPH_ENTRY + "' is missing");
        }
        Path tmp = Files.createTempFile("mqn-model", ".sd");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                copyChecked(zip, e, file, out);
            }
            try {
                return GraphFile.load(tmp, false);
            } catch (MqnException ex) {
                throw new MqnException(file + ": the graph in " + GRAPH_ENTRY + " is corrupt: "
                        + ex.getMessage().replace(tmp.toString(), GRAPH_ENTRY), ex);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static JsonNode parseJson(Path file, byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new MqnException(file + ": " + JSON_ENTRY + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new MqnException(file + ": " + JSON_ENTRY + " is not valid JSON (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
