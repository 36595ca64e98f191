package org.mqn4j.swin;

import org.mqn4j.io.CheckpointLoader;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Swin (v1) checkpoint under any of three public naming schemes, seen under torchvision's
 * names, with its architecture inferred from the tensor shapes.
 *
 * <ul>
 *   <li>{@link Scheme#TORCHVISION}: {@code features.0.0.weight}, {@code features.1.0.attn.qkv.weight},
 *       {@code features.2.reduction.weight}, {@code norm.weight}, {@code head.weight}.</li>
 *   <li>{@link Scheme#OFFICIAL} (microsoft/Swin-Transformer, LAVT, timm before 0.9):
 *       {@code patch_embed.proj}, {@code layers.i.blocks.j.mlp.fc1}, and {@code layers.i.downsample}
 *       at the END of stage i; LAVT adds {@code norm0..norm3} for its dense outputs.</li>
 *   <li>{@link Scheme#TIMM} (timm 0.9+): as the official names, but {@code layers.i.downsample}
 *       at the START of stage i (it merges stage i−1's output) and {@code head.fc}.</li>
 * </ul>
 * A common prefix ({@code backbone.}, {@code module.}) is stripped; tensors outside the Swin
 * (LAVT's fusion modules, a text encoder) are reported unused. The buffers
 * {@code relative_position_index} and {@code attn_mask} are dropped: mqn4j computes them.
 */
public final class SwinCheckpoint {
    /** The naming scheme of a checkpoint. */
    public enum Scheme { TORCHVISION, OFFICIAL, TIMM }

    private static final Pattern BLOCK = Pattern.compile("layers\\.(\\d+)\\.blocks\\.(\\d+)\\.(.+)");
    private static final Pattern DOWNSAMPLE = Pattern.compile("layers\\.(\\d+)\\.downsample\\.((?:reduction|norm)\\.(?:weight|bias))");
    private static final Pattern TV_BLOCK = Pattern.compile("features\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern STAGE_NORM = Pattern.compile("norm\\d+\\.(weight|bias)");
    private static final List<String> BUFFERS = List.of("relative_position_index", "attn_mask");

    private final String source;
    private final Scheme scheme;
    private final String prefix;
    private final Map<String, String> toTorchvision; // checkpoint name -> torchvision name
    private final List<String> dropped;
    private final List<String> foreign;
    private final Map<String, long[]> shapes;        // by torchvision name
    private final SwinConfig config;
    private final Function<String, INDArray> reader; // by checkpoint name

    private SwinCheckpoint(Map<String, long[]> checkpointShapes, Function<String, INDArray> reader, String source) {
        this.source = source;
        this.reader = reader;
        this.prefix = prefix(checkpointShapes.keySet(), source);
        List<String> stripped = new ArrayList<>();
        for (String n : checkpointShapes.keySet()) {
            if (n.startsWith(prefix)) {
                stripped.add(n.substring(prefix.length()));
            }
        }
        this.scheme = detect(stripped);
        Map<String, String> map = new LinkedHashMap<>();
        Map<String, long[]> tv = new LinkedHashMap<>();
        List<String> drop = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (Map.Entry<String, long[]> e : checkpointShapes.entrySet()) {
            String name = e.getKey();
            String local = name.startsWith(prefix) ? name.substring(prefix.length()) : null;
            if ("absolute_pos_embed".equals(local)) {
                // The ape=True variant adds a learned position embedding after the stem; loading it
                // into a graph without one would give silently wrong features.
                throw new MqnException("checkpoint " + source + ": '" + name + "' belongs to a Swin with an absolute "
                        + "position embedding (ape=True), which mqn4j does not implement");
            }
            if (local != null && isBuffer(local)) {
                drop.add(name);
                continue;
            }
            String target = local == null ? null : torchvisionName(local, scheme);
            if (target == null) {
                other.add(name);
                continue;
            }
            if (tv.containsKey(target)) {
                throw new MqnException("checkpoint " + source + ": two tensors map to '" + target + "' (one is '"
                        + name + "')");
            }
            map.put(name, target);
            tv.put(target, e.getValue());
        }
        this.toTorchvision = Collections.unmodifiableMap(map);
        this.shapes = Collections.unmodifiableMap(tv);
        this.dropped = List.copyOf(drop);
        this.foreign = List.copyOf(other);
        this.config = inferConfig(tv, source);
    }

    /** A checkpoint held in memory. */
    public static SwinCheckpoint of(Map<String, INDArray> tensors, String source) {
        Map<String, long[]> s = new LinkedHashMap<>();
        tensors.forEach((k, v) -> s.put(k, v.shape()));
        return new SwinCheckpoint(s, tensors::get, source);
    }

    /** A checkpoint in a safetensors file (read lazily; keep the file open while using this). */
    public static SwinCheckpoint of(SafetensorsFile file) {
        return new SwinCheckpoint(file.shapes(), file::get, file.path().toString());
    }

    /** Names and shapes only, e.g. to inspect a checkpoint; {@link #tensors} is then unavailable. */
    public static SwinCheckpoint ofShapes(Map<String, long[]> shapes, String source) {
        return new SwinCheckpoint(shapes, n -> {
            throw new IllegalStateException("shapes only: no tensor data for '" + n + "'");
        }, source);
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The prefix stripped from the names ("" if none, "backbone." for a LAVT model). */
    public String prefix() {
        return prefix;
    }

    /** The architecture read from the shapes (window from the bias tables; no stochastic depth). */
    public SwinConfig config() {
        return config;
    }

    /** Checkpoint name to torchvision name, for every Swin parameter in the checkpoint. */
    public Map<String, String> torchvisionNames() {
        return toTorchvision;
    }

    /** Shapes under torchvision names, as stored (before any bias table resizing). */
    public Map<String, long[]> shapes() {
        return shapes;
    }

    /** Buffers that were dropped (checkpoint names). */
    public List<String> dropped() {
        return dropped;
    }

    /** Tensors that are not Swin parameters (checkpoint names). */
    public List<String> foreign() {
        return foreign;
    }

    /**
     * The Swin parameters under torchvision names, with every relative position bias table
     * resized (bicubic) to {@code window} where it differs.
     */
    public Map<String, INDArray> tensors(int window) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        toTorchvision.forEach((name, target) -> {
            INDArray t = reader.apply(name);
            if (target.endsWith("relative_position_bias_table") && BiasTableResize.windowOf(t.size(0)) != window) {
                t = BiasTableResize.resize(t, window);
            }
            out.put(target, t);
        });
        return out;
    }

    /**
     * Loads the checkpoint into a Swin graph with torchvision variable names, resizing bias tables
     * to {@code window}. The report lists foreign tensors as unused and notes dropped buffers and
     * resized tables.
     */
    public LoadReport loadInto(SameDiff sd, int window, boolean strict) {
        Map<String, INDArray> byCheckpointName = new LinkedHashMap<>();
        Map<String, INDArray> tv = tensors(window);
        toTorchvision.forEach((name, target) -> byCheckpointName.put(name, tv.get(target)));
        LoadReport r = CheckpointLoader.load(sd, byCheckpointName, toTorchvision::get, strict, source);
        List<String> unused = new ArrayList<>(r.unused());
        unused.addAll(foreign);
        List<String> notes = new ArrayList<>();
        notes.add("naming scheme: " + scheme + (prefix.isEmpty() ? "" : ", prefix '" + prefix + "' stripped"));
        notes.add("architecture from the shapes: " + config);
        if (!dropped.isEmpty()) {
            notes.add("dropped " + dropped.size() + " buffers (relative_position_index, attn_mask): computed in mqn4j");
        }
        int resized = (int) shapes.entrySet().stream().filter(e -> e.getKey().endsWith("relative_position_bias_table")
                && BiasTableResize.windowOf(e.getValue()[0]) != window).count();
        if (resized > 0) {
            notes.add("resized " + resized + " relative position bias tables (bicubic) from window "
                    + config.windowSize() + " to " + window);
        }
        return new LoadReport(r.source(), r.loaded(), r.missing(), unused, r.renamed(), notes);
    }

    /** The naming scheme of {@code names} (prefix already stripped). */
    public static Scheme detect(Iterable<String> names) {
        int minDown = Integer.MAX_VALUE;
        boolean headFc = false;
        for (String n : names) {
            if (n.startsWith("features.")) {
                return Scheme.TORCHVISION;
            }
            Matcher m = DOWNSAMPLE.matcher(n);
            if (m.matches()) {
                minDown = Math.min(minDown, Integer.parseInt(m.group(1)));
            }
            headFc |= n.startsWith("head.fc.");
        }
        if (minDown == Integer.MAX_VALUE) {
            return headFc ? Scheme.TIMM : Scheme.OFFICIAL;
        }
        return minDown == 0 ? Scheme.OFFICIAL : Scheme.TIMM;
    }

    /**
     * The torchvision name of Swin parameter {@code name} in {@code scheme}, or null if it is not
     * one (a buffer, or a tensor of another module).
     */
    public static String torchvisionName(String name, Scheme scheme) {
        if (isBuffer(name)) {
            return null;
        }
        if (scheme == Scheme.TORCHVISION) {
            Matcher m = TV_BLOCK.matcher(name);
            if (m.matches()) {
                return "features." + m.group(1) + "." + m.group(2) + "."
                        + m.group(3).replace("mlp.linear_1.", "mlp.0.").replace("mlp.linear_2.", "mlp.3.");
            }
            return name.startsWith("features.") || isTop(name) ? name : null;
        }
        switch (name) {
            case "patch_embed.proj.weight", "patch_embed.proj.bias":
                return "features.0.0." + name.substring(name.lastIndexOf('.') + 1);
            case "patch_embed.norm.weight", "patch_embed.norm.bias":
                return "features.0.2." + name.substring(name.lastIndexOf('.') + 1);
            case "head.fc.weight", "head.fc.bias":
                return scheme == Scheme.TIMM ? "head." + name.substring(name.lastIndexOf('.') + 1) : null;
            default:
                break;
        }
        if (isTop(name)) {
            return name;
        }
        Matcher b = BLOCK.matcher(name);
        if (b.matches()) {
            String rest = blockPart(b.group(3));
            return rest == null ? null : "features." + (2 * Integer.parseInt(b.group(1)) + 1) + "." + b.group(2) + "." + rest;
        }
        Matcher d = DOWNSAMPLE.matcher(name);
        if (d.matches()) {
            int i = Integer.parseInt(d.group(1));
            int feature = scheme == Scheme.TIMM ? 2 * i : 2 * i + 2;
            return feature < 2 ? null : "features." + feature + "." + d.group(2);
        }
        return null;
    }

    /** norm.*, norm0..normN.*, head.*: the same in every scheme. */
    private static boolean isTop(String name) {
        return name.equals("norm.weight") || name.equals("norm.bias") || name.equals("head.weight")
                || name.equals("head.bias") || STAGE_NORM.matcher(name).matches();
    }

    private static String blockPart(String rest) {
        return switch (rest) {
            case "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "attn.qkv.weight", "attn.qkv.bias",
                    "attn.proj.weight", "attn.proj.bias", "attn.relative_position_bias_table" -> rest;
            case "mlp.fc1.weight", "mlp.fc1.bias" -> "mlp.0." + rest.substring("mlp.fc1.".length());
            case "mlp.fc2.weight", "mlp.fc2.bias" -> "mlp.3." + rest.substring("mlp.fc2.".length());
            default -> null;
        };
    }

    private static boolean isBuffer(String name) {
        for (String b : BUFFERS) {
            if (name.equals(b) || name.endsWith("." + b)) {
                return true;
            }
        }
        return false;
    }

    /** The prefix before the patch embedding's name ("" when there is none). */
    private static String prefix(Iterable<String> names, String source) {
        String found = null;
        for (String n : names) {
            for (String stem : List.of("patch_embed.proj.weight", "features.0.0.weight")) {
                if (n.endsWith(stem)) {
                    String p = n.substring(0, n.length() - stem.length());
                    if (!p.isEmpty() && !p.endsWith(".")) {
                        continue;
                    }
                    if (found != null && !found.equals(p)) {
                        throw new MqnException("checkpoint " + source + " holds two Swin patch embeddings ('"
                                + found + stem + "' and '" + n + "'): cannot tell which Swin to load");
                    }
                    found = p;
                }
            }
        }
        if (found == null) {
            List<String> some = new ArrayList<>();
            names.forEach(n -> {
                if (some.size() < 5) {
                    some.add(n);
                }
            });
            throw new MqnException("checkpoint " + source + " is not a Swin checkpoint: it has no patch embedding "
                    + "(features.0.0.weight or patch_embed.proj.weight); its first tensors: " + some);
        }
        return found;
    }

    /** The architecture of a torchvision-named Swin state dict, from its shapes. */
    public static SwinConfig inferConfig(Map<String, long[]> tv, String source) {
        long[] stem = tv.get("features.0.0.weight");
        if (stem == null || stem.length != 4 || stem[1] != 3 || stem[2] != stem[3]) {
            throw new MqnException("checkpoint " + source + ": patch embedding weight must be [C, 3, p, p], got "
                    + (stem == null ? "none" : Arrays.toString(stem)));
        }
        int embed = (int) stem[0];
        List<Integer> depths = new ArrayList<>();
        List<Integer> heads = new ArrayList<>();
        int window = -1;
        double mlpRatio = -1;
        for (int i = 0; tv.containsKey("features." + (2 * i + 1) + ".0.norm1.weight"); i++) {
            String stage = "features." + (2 * i + 1) + ".";
            int depth = 0;
            while (tv.containsKey(stage + depth + ".norm1.weight")) {
                depth++;
            }
            long[] norm = tv.get(stage + "0.norm1.weight");
            if (norm[0] != ((long) embed << i)) {
                throw new MqnException("checkpoint " + source + ": stage " + (i + 1) + " has width " + norm[0]
                        + ", but a Swin with embed dim " + embed + " needs " + ((long) embed << i));
            }
            long[] table = tv.get(stage + "0.attn.relative_position_bias_table");
            int w = table == null || table.length != 2 ? -1 : BiasTableResize.windowOf(table[0]);
            if (w < 0) {
                throw new MqnException("checkpoint " + source + ": " + stage + "0.attn.relative_position_bias_table must be "
                        + "[(2W-1)^2, heads], got " + (table == null ? "none" : Arrays.toString(table)));
            }
            if (i == 0) {
                window = w;
                long[] fc1 = tv.get(stage + "0.mlp.0.weight");
                if (fc1 == null || fc1.length != 2) {
                    throw new MqnException("checkpoint " + source + ": no MLP weight " + stage + "0.mlp.0.weight");
                }
                mlpRatio = (double) fc1[0] / fc1[1];
            }
            depths.add(depth);
            heads.add((int) table[1]);
        }
        if (depths.isEmpty()) {
            throw new MqnException("checkpoint " + source + " has a patch embedding but no Swin blocks");
        }
        try {
            return SwinConfig.builder().patchSize((int) stem[2]).embedDim(embed)
                    .depths(depths.stream().mapToInt(Integer::intValue).toArray())
                    .numHeads(heads.stream().mapToInt(Integer::intValue).toArray())
                    .windowSize(window).mlpRatio(mlpRatio).build();
        } catch (IllegalArgumentException e) {
            throw new MqnException("checkpoint " + source + ": inconsistent Swin shapes: " + e.getMessage(), e);
        }
    }
}
