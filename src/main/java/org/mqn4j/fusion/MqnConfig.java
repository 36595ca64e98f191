package org.mqn4j.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.ops.ChannelMeanNorm;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.CommonVocab;
import org.mqn4j.text.TextConfig;
import org.mqn4j.text.WordPieceVocab;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sizes and settings of the whole Mutual Query Network. Immutable; build with {@link #builder()} or
 * read the {@code model:} section of a YAML file ({@code conf/mqn_*.yaml}; its {@code train:}
 * section belongs to the trainer and is ignored here):
 * <pre>
 * model:
 *   image_size: 96           # S: input images are S×S
 *   max_title_length: 64     # T: title tokens, padded/truncated
 *   swin: {embed_dim: 32, …} # a SwinConfig mapping, or a path to conf/swin_*.yaml
 *   text: {hidden_size: 64, …} # a TextConfig mapping (HuggingFace keys), or a path
 *   fusion_stages: [1, 2, 3, 4]
 *   variant: mqn             # mqn | no_vql | vision_only
 *   decoder_dim: 32
 *   decoder_fine_dim: 0      # channels of a decoder stage at half the input size ({@link Decoder}; 0: none, the paper)
 *   decoder_norm: layer      # layer: LayerNorm over each pixel's channels; group: GroupNorm(1) over each map ({@link Decoder})
 *   fusion_gate_init: 0.0    # initial g of the early-fusion gate tanh(g) (0: starts as the plain backbone)
 *   seed: 0
 *   dice_weight: 0.0         # weight of a soft Dice loss added to the pixel cross-entropy (0: none, the paper)
 *   title_heads_weight: 0.0  # weight of the auxiliary {@link TitleHeads} loss (0: none, the paper)
 *   grounding_weight: 0.0    # weight of the auxiliary {@link GroundingLoss} on LQV's responses (0: none, the paper)
 *   grounding_category_stages: [1, 2, 3, 4]  # stages where the grounding loss supervises the category word (colour: all)
 *   side_output_weight: 0.0  # weight of the deep supervision of the decoder's inputs, {@link SideOutputs} (0: none, the paper)
 *   visual_heads_weight: 0.0 # weight of the backbone's auxiliary {@link VisualHeads} (0: none, the paper)
 *   attribute_match: []      # stages whose {@link AttributeMatch} maps go to the decoder (needs both heads' weights &gt; 0)
 *   vocab: default           # tokenizer vocabulary: default (25,259), common (smaller, {@link CommonVocab}) or a vocab.txt path
 *   channel_means: [200.3, 192.1, 185.2]  # scale each picture's channel means to these (0..255; {@link ChannelMeanNorm});
 *                            # "train": mqn train measures them on the training split and writes the numbers into the
 *                            # run's config.yaml; absent: pictures go in as they are (the paper)
 *   channel_norm: means      # with channel_means: means (brightness and colour cast), colour (the cast only) or
 *                            # highlights (brightness and cast of the brightest parts; channel_means then holds power means)
 * </pre>
 * Relative paths are resolved against the YAML file's directory, then the working directory.
 *
 * @param imageSize      side S of the (square) input
 * @param maxTitleLength tokens per title T
 * @param swin           the backbone (four stages)
 * @param text           the text encoder
 * @param fusionStages   stages (1..4) with LQV/VQL; others pass plain V_i on
 * @param variant        the method or one of the paper's two ablations
 * @param decoderDim     channels of the decoder's D_3, D_2, D_1
 * @param decoderFineDim channels of the decoder's stage at half the input size, D_0 (0: none, the paper's decoder)
 * @param decoderNorm    the decoder's normalisation, of its blocks and of its fused inputs ({@link Decoder.Norm})
 * @param fusionGateInit initial value of every early-fusion gate g (⊕ adds tanh(g)·F, see {@link EarlyFusion})
 * @param seed           seed of the random initialisation
 * @param diceWeight     weight of the soft Dice loss added to Eq. 12's cross-entropy (0: none)
 * @param titleHeadsWeight weight of the auxiliary title heads' loss ({@link TitleHeads}); 0 builds none
 * @param groundingWeight weight of the auxiliary {@link GroundingLoss} on the LQV responses; 0 builds none
 * @param groundingCategoryStages stages (1..4) at which the {@link GroundingLoss} supervises the category word's
 *                       characters; at the other grounded stages only the colour word's (default: all four)
 * @param sideOutputWeight weight of the {@link SideOutputs} loss; 0 builds none
 * @param visualHeadsWeight weight of the {@link VisualHeads} loss; 0 builds none
 * @param attributeMatch stages (1..4) whose {@link AttributeMatch} maps are added to the decoder's input (empty: none, the paper)
 * @param vocab          the tokenizer's vocabulary: {@code default}, {@code common} or a vocab.txt path
 *                       (its size must equal the text encoder's vocab_size)
 * @param channelMeans   target channel means (R, G, B, 0..255) of the in-graph {@link ChannelMeanNorm}; null: none;
 *                       empty: to be measured on the training split ({@code channel_means: train})
 * @param channelNorm    what {@link ChannelMeanNorm} matches to channelMeans (only with channelMeans)
 */
public record MqnConfig(int imageSize, int maxTitleLength, SwinConfig swin, TextConfig text, int[] fusionStages,
                        Variant variant, int decoderDim, int decoderFineDim, Decoder.Norm decoderNorm, double fusionGateInit, long seed, double diceWeight, double titleHeadsWeight,
                        double groundingWeight, int[] groundingCategoryStages, double sideOutputWeight, double visualHeadsWeight,
                        int[] attributeMatch, String vocab, float[] channelMeans, ChannelMeanNorm.Mode channelNorm) {

    /** Built-in vocabulary names. */
    public static final String DEFAULT_VOCAB = "default";
    public static final String COMMON_VOCAB = "common";
    private static final int[] ALL_STAGES = {1, 2, 3, 4};
    /** {@code channel_means: train}: measured on the training split by mqn train. */
    public static final String MEASURE_CHANNEL_MEANS = "train";

    /** MQN and the paper's ablations (Table III). */
    public enum Variant {
        /** LQV and VQL: F_f goes into Eq. 10 and 11. */
        MQN,
        /** "without VQL": F_m in place of F_f in Eq. 10 and 11. */
        NO_VQL,
        /** "without LQV" (vision only): nothing added in Eq. 10, plain V_i to the decoder. */
        VISION_ONLY;

        /** The YAML spelling: mqn, no_vql, vision_only. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Variant parse(String s, String source) {
            for (Variant v : values()) {
                if (v.key().equals(s.toLowerCase(Locale.ROOT).replace('-', '_'))) {
                    return v;
                }
            }
            throw new MqnException(source + ": variant '" + s + "' is not one of mqn, no_vql, vision_only");
        }
    }

    public MqnConfig {
        if (swin == null || text == null || variant == null || decoderNorm == null) {
            throw new IllegalArgumentException("swin, text, variant and decoder_norm are required");
        }
        if (swin.numStages() != 4) {
            throw new IllegalArgumentException("the Swin backbone must have 4 stages, not " + swin.numStages());
        }
        if (imageSize < swin.patchSize() * 8) {
            throw new IllegalArgumentException("image_size " + imageSize + " is below " + swin.patchSize() * 8
                    + " (one pixel at stage 4)");
        }
        if (maxTitleLength <= 0 || maxTitleLength > text.maxSequenceLength()) {
            throw new IllegalArgumentException("max_title_length " + maxTitleLength + " outside 1.."
                    + text.maxSequenceLength() + " (the text encoder's positions)");
        }
        if (!Double.isFinite(fusionGateInit)) {
            throw new IllegalArgumentException("fusion_gate_init must be a finite number");
        }
        if (decoderDim <= 0) {
            throw new IllegalArgumentException("decoder_dim must be positive");
        }
        if (decoderFineDim < 0) {
            throw new IllegalArgumentException("decoder_fine_dim must be 0 (none) or positive");
        }
        if (decoderFineDim > 0 && imageSize % 2 != 0) {
            throw new IllegalArgumentException("decoder_fine_dim needs an even image_size, not " + imageSize);
        }
        fusionStages = sortedStages(fusionStages, "fusion stage");
        if (!(titleHeadsWeight >= 0) || Double.isInfinite(titleHeadsWeight) || !(diceWeight >= 0) || Double.isInfinite(diceWeight)) {
            throw new IllegalArgumentException("title_heads_weight and dice_weight must be finite numbers >= 0");
        }
        for (double w : new double[]{groundingWeight, sideOutputWeight, visualHeadsWeight}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("grounding_weight, side_output_weight and visual_heads_weight must be finite numbers >= 0");
            }
        }
        attributeMatch = sortedStages(attributeMatch, "attribute_match stage");
        groundingCategoryStages = groundingCategoryStages == null ? ALL_STAGES.clone()
                : sortedStages(groundingCategoryStages, "grounding_category_stages stage");
        if (attributeMatch.length > 0 && (titleHeadsWeight <= 0 || visualHeadsWeight <= 0)) {
            throw new IllegalArgumentException("attribute_match needs title_heads_weight > 0 and visual_heads_weight > 0"
                    + " (the heads whose predictions it compares are trained by those losses)");
        }
        vocab = vocab == null || vocab.isBlank() ? DEFAULT_VOCAB : vocab;
        if (channelMeans != null) {
            if (channelMeans.length != 0 && channelMeans.length != 3) {
                throw new IllegalArgumentException("channel_means needs 3 values (R, G, B), not " + channelMeans.length);
            }
            for (float v : channelMeans) {
                if (!(v > 0 && v <= 255)) {
                    throw new IllegalArgumentException("channel_means must lie in (0, 255], got " + Arrays.toString(channelMeans));
                }
            }
            channelMeans = channelMeans.clone();
        }
        channelNorm = channelNorm == null ? ChannelMeanNorm.Mode.MEANS : channelNorm;
        if (channelNorm != ChannelMeanNorm.Mode.MEANS && channelMeans == null) {
            throw new IllegalArgumentException("channel_norm " + channelNorm.key() + " needs channel_means (numbers or train)");
        }
    }

    /** The in-graph {@link ChannelMeanNorm}'s target means (R, G, B, 0..255); null: none; empty: not measured yet. */
    @Override
    public float[] channelMeans() {
        return channelMeans == null ? null : channelMeans.clone();
    }

    /** Whether {@code channel_means: train} still waits for the training split's numbers ({@link #withChannelMeans}). */
    public boolean channelMeansPending() {
        return channelMeans != null && channelMeans.length == 0;
    }

    /** This config with the in-graph channel-mean matching scaling to {@code means} (R, G, B, 0..255). */
    public MqnConfig withChannelMeans(float[] means) {
        return toBuilder().channelMeans(means).build();
    }

    /** The distinct stages of {@code stages} (null: none) in ascending order; each must be in 1..4. */
    private static int[] sortedStages(int[] stages, String what) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int s : stages == null ? new int[0] : stages) {
            if (s < 1 || s > 4) {
                throw new IllegalArgumentException(what + " " + s + " outside 1..4");
            }
            set.add(s);
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether stage (1..4) adds {@link AttributeMatch} maps to the decoder's input. */
    public boolean matchesAttributes(int stage) {
        return Arrays.stream(attributeMatch).anyMatch(s -> s == stage);
    }

    private static boolean isBuiltInVocab(String v) {
        return v.equals(DEFAULT_VOCAB) || v.equals(COMMON_VOCAB);
    }

    private static WordPieceVocab wordPieceVocab(String v) {
        return switch (v) {
            case DEFAULT_VOCAB -> WordPieceVocab.defaultVocab();
            case COMMON_VOCAB -> WordPieceVocab.commonVocab();
            default -> WordPieceVocab.load(Path.of(v));
        };
    }

    /** The tokenizer vocabulary named by {@link #vocab()} (a file is read on every call). */
    public WordPieceVocab wordPieceVocab() {
        return wordPieceVocab(vocab);
    }

    @Override
    public int[] fusionStages() {
        return fusionStages.clone();
    }

    @Override
    public int[] groundingCategoryStages() {
        return groundingCategoryStages.clone();
    }

    /** Whether stage {@code stage} (1..4) fuses language (always false for vision_only). */
    public boolean fuses(int stage) {
        return variant != Variant.VISION_ONLY && Arrays.binarySearch(fusionStages, stage) >= 0;
    }

    /** Reads the {@code model:} section of {@code file}. */
    public static MqnConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new MqnException(file + ": cannot read MQN config: " + e.getMessage().split("\n")[0], e);
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new MqnException(file + ": expected a 'model:' section");
        }
        return fromTree(root.get("model"), file.toAbsolutePath().getParent(), file.toString());
    }

    /**
     * Reads a {@code model:} mapping; {@code baseDir} resolves relative swin/text/vocab paths (null: a vocab
     * file is neither resolved nor read, for readers that carry the vocabulary themselves).
     */
    public static MqnConfig fromTree(JsonNode m, Path baseDir, String source) {
        Set<String> known = Set.of("image_size", "max_title_length", "swin", "text", "fusion_stages", "variant",
                "decoder_dim", "decoder_fine_dim", "decoder_norm", "fusion_gate_init", "seed", "vocab",
                "title_heads_weight", "dice_weight", "grounding_weight", "grounding_category_stages", "side_output_weight",
                "visual_heads_weight", "attribute_match", "channel_means", "channel_norm");
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new MqnException(source + ": unknown model setting '" + k + "' (known: " + new TreeSet<>(known) + ")");
            }
        }
        Builder b = builder();
        try {
            if (m.has("image_size")) b.imageSize(m.get("image_size").asInt());
            if (m.has("max_title_length")) b.maxTitleLength(m.get("max_title_length").asInt());
            if (m.has("decoder_dim")) b.decoderDim(m.get("decoder_dim").asInt());
            if (m.has("decoder_fine_dim")) b.decoderFineDim(m.get("decoder_fine_dim").asInt());
            if (m.has("decoder_norm")) b.decoderNorm(Decoder.Norm.parse(m.get("decoder_norm").asText(), source));
            if (m.has("seed")) b.seed(m.get("seed").asLong());
            if (m.has("fusion_gate_init")) b.fusionGateInit(m.get("fusion_gate_init").asDouble());
            if (m.has("title_heads_weight")) b.titleHeadsWeight(m.get("title_heads_weight").asDouble());
            if (m.has("dice_weight")) b.diceWeight(m.get("dice_weight").asDouble());
            if (m.has("grounding_weight")) b.groundingWeight(m.get("grounding_weight").asDouble());
            if (m.has("side_output_weight")) b.sideOutputWeight(m.get("side_output_weight").asDouble());
            if (m.has("visual_heads_weight")) b.visualHeadsWeight(m.get("visual_heads_weight").asDouble());
            if (m.has("variant")) b.variant(Variant.parse(m.get("variant").asText(), source));
            if (m.has("vocab")) {
                String v = m.get("vocab").asText();
                // without a base directory (an export's model.json) a vocab file is not looked for: the caller has it
                b.vocab(isBuiltInVocab(v) || baseDir == null ? v : resolve(v, baseDir, source).toString());
            }
            if (m.has("channel_means")) {
                b.channelMeans(channelMeans(m.get("channel_means"), source));
            }
            if (m.has("channel_norm")) {
                b.channelNorm(ChannelMeanNorm.Mode.parse(m.get("channel_norm").asText()));
            }
            if (m.has("fusion_stages")) {
                b.fusionStages(stageList(m.get("fusion_stages"), "fusion_stages", source));
            }
            if (m.has("attribute_match")) {
                b.attributeMatch(stageList(m.get("attribute_match"), "attribute_match", source));
            }
            if (m.has("grounding_category_stages")) {
                b.groundingCategoryStages(stageList(m.get("grounding_category_stages"), "grounding_category_stages", source));
            }
            JsonNode swin = m.get("swin");
            if (swin == null) {
                throw new MqnException(source + ": model.swin is required (a mapping or a path to conf/swin_*.yaml)");
            }
            b.swin(swin.isTextual() ? SwinConfig.load(resolve(swin.asText(), baseDir, source))
                    : SwinConfig.fromTree(swin, source + " (model.swin)"));
            JsonNode text = m.get("text");
            if (text == null) {
                throw new MqnException(source + ": model.text is required (a mapping or a path to conf/text_*.yaml)");
            }
            b.text(text.isTextual() ? TextConfig.load(resolve(text.asText(), baseDir, source))
                    : TextConfig.fromTree(text, source + " (model.text)"));
            MqnConfig c = b.build();
            if (m.has("vocab") && baseDir != null && c.wordPieceVocab().size() != c.text.vocabSize()) {
                throw new MqnException(source + ": text vocab_size " + c.text.vocabSize() + " does not match the "
                        + c.wordPieceVocab().size() + " tokens of the vocabulary " + c.vocab);
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new MqnException(source + ": " + e.getMessage(), e);
        }
    }

    private static Path resolve(String path, Path baseDir, String source) {
        Path p = Path.of(path);
        if (!p.isAbsolute() && baseDir != null && Files.exists(baseDir.resolve(p))) {
            return baseDir.resolve(p);
        }
        if (Files.exists(p)) {
            return p;
        }
        throw new MqnException(source + ": file '" + path + "' not found" + (baseDir == null ? "" : " (beside the config nor in the working directory)"));
    }

    /** The {@code model:} mapping with swin and text inline (readable by {@link #fromTree}). */
    public ObjectNode toTree() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("image_size", imageSize);
        m.put("max_title_length", maxTitleLength);
        m.set("swin", json.valueToTree(swin));
        try {
            m.set("text", json.readTree(text.toJson()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode f = m.putArray("fusion_stages");
        for (int s : fusionStages) {
            f.add(s);
        }
        m.put("variant", variant.key());
        m.put("decoder_dim", decoderDim);
        if (decoderFineDim > 0) {
            m.put("decoder_fine_dim", decoderFineDim);
        }
        if (decoderNorm != Decoder.Norm.LAYER) {
            m.put("decoder_norm", decoderNorm.key());
        }
        m.put("fusion_gate_init", fusionGateInit);
        m.put("seed", seed);
        if (titleHeadsWeight > 0) {
            m.put("title_heads_weight", titleHeadsWeight);
        }
        if (diceWeight > 0) {
            m.put("dice_weight", diceWeight);
        }
        if (groundingWeight > 0) {
            m.put("grounding_weight", groundingWeight);
        }
        if (!Arrays.equals(groundingCategoryStages, ALL_STAGES)) {
            ArrayNode g = m.putArray("grounding_category_stages");
            for (int s : groundingCategoryStages) {
                g.add(s);
            }
        }
        if (sideOutputWeight > 0) {
            m.put("side_output_weight", sideOutputWeight);
        }
        if (visualHeadsWeight > 0) {
            m.put("visual_heads_weight", visualHeadsWeight);
        }
        if (attributeMatch.length > 0) {
            ArrayNode a = m.putArray("attribute_match");
            for (int s : attributeMatch) {
                a.add(s);
            }
        }
        if (!vocab.equals(DEFAULT_VOCAB)) {
            m.put("vocab", vocab);
        }
        if (channelMeansPending()) {
            m.put("channel_means", MEASURE_CHANNEL_MEANS);
        } else if (channelMeans != null) {
            ArrayNode c = m.putArray("channel_means");
            for (float v : channelMeans) {
                c.add(Double.parseDouble(Float.toString(v)));   // the shortest decimal that reads back as v
            }
        }
        if (channelNorm != ChannelMeanNorm.Mode.MEANS) {
            m.put("channel_norm", channelNorm.key());
        }
        return m;
    }

    private static float[] channelMeans(JsonNode n, String source) {
        if (n.isTextual() && n.asText().equals(MEASURE_CHANNEL_MEANS)) {
            return new float[0];
        }
        if (!n.isArray() || n.size() != 3 || !n.get(0).isNumber() || !n.get(1).isNumber() || !n.get(2).isNumber()) {
            throw new MqnException(source + ": channel_means must be 'train' or three numbers (R, G, B, 0..255) such as"
                    + " [200.3, 192.1, 185.2], not " + n);
        }
        return new float[]{(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
    }

    private static int[] stageList(JsonNode f, String key, String source) {
        if (!f.isArray()) {
            throw new MqnException(source + ": " + key + " must be a list of stages such as [1, 2, 3, 4]");
        }
        int[] s = new int[f.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = f.get(i).asInt();
        }
        return s;
    }

    /** YAML text {@code model: …} of this config, swin and text inline. */
    public String toYaml() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode root = yaml.createObjectNode();
        root.set("model", toTree());
        try {
            return yaml.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Builder toBuilder() {
        return new Builder().imageSize(imageSize).maxTitleLength(maxTitleLength).swin(swin).text(text)
                .fusionStages(fusionStages).variant(variant).decoderDim(decoderDim).decoderFineDim(decoderFineDim).decoderNorm(decoderNorm).fusionGateInit(fusionGateInit).seed(seed).diceWeight(diceWeight).titleHeadsWeight(titleHeadsWeight).groundingWeight(groundingWeight).groundingCategoryStages(groundingCategoryStages).sideOutputWeight(sideOutputWeight).visualHeadsWeight(visualHeadsWeight).attributeMatch(attributeMatch).vocab(vocab).channelMeans(channelMeans).channelNorm(channelNorm);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqnConfig c && c.imageSize == imageSize && c.maxTitleLength == maxTitleLength
                && c.swin.equals(swin) && c.text.equals(text) && Arrays.equals(c.fusionStages, fusionStages)
                && c.variant == variant && c.decoderDim == decoderDim && c.decoderFineDim == decoderFineDim && c.decoderNorm == decoderNorm && c.fusionGateInit == fusionGateInit && c.seed == seed
                && c.diceWeight == diceWeight && c.titleHeadsWeight == titleHeadsWeight && c.groundingWeight == groundingWeight && Arrays.equals(c.groundingCategoryStages, groundingCategoryStages) && c.sideOutputWeight == sideOutputWeight && c.visualHeadsWeight == visualHeadsWeight
                && Arrays.equals(c.attributeMatch, attributeMatch) && c.vocab.equals(vocab) && Arrays.equals(c.channelMeans, channelMeans) && c.channelNorm == channelNorm;
    }

    @Override
    public int hashCode() {
        return ((swin.hashCode() * 31 + text.hashCode()) * 31 + Arrays.hashCode(fusionStages)) * 31 + variant.hashCode()
                + imageSize * 7 + maxTitleLength * 13 + decoderDim * 17 + decoderFineDim * 19 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "MqnConfig[image=" + imageSize + ", T=" + maxTitleLength + ", swin=" + swin + ", text=" + text
                + ", fusion=" + Arrays.toString(fusionStages) + ", variant=" + variant.key() + ", decoder=" + decoderDim + (decoderFineDim > 0 ? "+fine " + decoderFineDim : "") + (decoderNorm != Decoder.Norm.LAYER ? " " + decoderNorm.key() + " norm" : "")
                + ", gate=" + fusionGateInit
                + ", seed=" + seed + ", dice=" + diceWeight + ", title_heads=" + titleHeadsWeight + ", grounding=" + groundingWeight + (Arrays.equals(groundingCategoryStages, ALL_STAGES) ? "" : " (category at " + Arrays.toString(groundingCategoryStages) + ")") + ", side=" + sideOutputWeight + ", visual_heads=" + visualHeadsWeight
                + (attributeMatch.length > 0 ? ", attribute_match=" + Arrays.toString(attributeMatch) : "") + ", vocab=" + vocab + (channelMeans == null ? "" : ", channel_means=" + (channelMeansPending() ? MEASURE_CHANNEL_MEANS : Arrays.toString(channelMeans)) + " " + channelNorm.key()) + "]";
    }

    /** Builder with the defaults: 480 px, T 64, Swin-B window 12, base text encoder, all stages, mqn, decoder 256. */
    public static final class Builder {
        private int imageSize = 480;
        private int maxTitleLength = 64;
        private SwinConfig swin = SwinConfig.swinB(12);
        private TextConfig text = TextConfig.base(TextConfig.Flavour.BERT).toBuilder().typeVocabSize(1).build();
        private int[] fusionStages = {1, 2, 3, 4};
        private Variant variant = Variant.MQN;
        private int decoderDim = 256;
        private int decoderFineDim = 0;
        private Decoder.Norm decoderNorm = Decoder.Norm.LAYER;
        private double fusionGateInit = 0.0;
        private long seed = 0;
        private String vocab = DEFAULT_VOCAB;
        private double titleHeadsWeight = 0.0;
        private double diceWeight = 0.0;
        private double groundingWeight = 0.0;
        private double sideOutputWeight = 0.0;
        private double visualHeadsWeight = 0.0;
        private int[] attributeMatch = {};
        private int[] groundingCategoryStages = ALL_STAGES;
        private float[] channelMeans = null;
        private ChannelMeanNorm.Mode channelNorm = ChannelMeanNorm.Mode.MEANS;

        public Builder imageSize(int v) { imageSize = v; return this; }
        public Builder maxTitleLength(int v) { maxTitleLength = v; return this; }
        public Builder swin(SwinConfig v) { swin = v; return this; }
        public Builder text(TextConfig v) { text = v; return this; }
        public Builder fusionStages(int... v) { fusionStages = v.clone(); return this; }
        public Builder variant(Variant v) { variant = v; return this; }
        public Builder decoderDim(int v) { decoderDim = v; return this; }
        /** Channels of a decoder stage at half the input size (0: none, the paper's decoder). */
        public Builder decoderFineDim(int v) { decoderFineDim = v; return this; }
        public Builder decoderNorm(Decoder.Norm v) { decoderNorm = v; return this; }
        public Builder fusionGateInit(double v) { fusionGateInit = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        /** {@code default}, {@code common} or a vocab.txt path. */
        public Builder vocab(String v) { vocab = v; return this; }
        public Builder titleHeadsWeight(double v) { titleHeadsWeight = v; return this; }
        public Builder diceWeight(double v) { diceWeight = v; return this; }
        public Builder groundingWeight(double v) { groundingWeight = v; return this; }
        public Builder sideOutputWeight(double v) { sideOutputWeight = v; return this; }
        public Builder visualHeadsWeight(double v) { visualHeadsWeight = v; return this; }
        /** Stages whose {@link AttributeMatch} maps go to the decoder (none: the paper). */
        public Builder attributeMatch(int... v) { attributeMatch = v.clone(); return this; }
        /** Stages at which the grounding loss supervises the category word (default: all four). */
        public Builder groundingCategoryStages(int... v) { groundingCategoryStages = v.clone(); return this; }
        /** Target channel means (R, G, B, 0..255) of the in-graph {@link ChannelMeanNorm}; null: none; empty: measure on the training split. */
        public Builder channelMeans(float[] v) { channelMeans = v == null ? null : v.clone(); return this; }
        /** What the {@link ChannelMeanNorm} matches: every channel mean (default) or the colour cast only. */
        public Builder channelNorm(ChannelMeanNorm.Mode v) { channelNorm = v; return this; }

        public MqnConfig build() {
            return new MqnConfig(imageSize, maxTitleLength, swin, text, fusionStages, variant, decoderDim, decoderFineDim, decoderNorm, fusionGateInit, seed, diceWeight, titleHeadsWeight, groundingWeight, groundingCategoryStages, sideOutputWeight, visualHeadsWeight, attributeMatch, vocab, channelMeans, channelNorm);
        }
    }
}
