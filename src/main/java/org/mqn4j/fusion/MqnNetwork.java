package org.mqn4j.fusion;

import org.mqn4j.data.SampleLoader;
import org.mqn4j.io.CheckpointLoader;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.ops.ChannelMeanNorm;
import org.mqn4j.ops.Params;
import org.mqn4j.swin.SwinCheckpoint;
import org.mqn4j.swin.SwinTransformer;
import org.mqn4j.text.TextCheckpoint;
import org.mqn4j.text.TextEncoder;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole Mutual Query Network as ONE SameDiff graph: Swin backbone, text encoder, LQV/VQL at
 * the fusion stages, early fusion into the next stage (Eq. 10), decoder (Eq. 11) and the pixel
 * cross-entropy (Eq. 12).
 *
 * <p>Graph contract (S = image size, T = max title length):
 * <pre>
 *   placeholders  input           [-1,3,S,S] float, ImageNet-normalised RGB (with channel_means, each picture's
 *                                 channel means are first scaled to those: {@link ChannelMeanNorm}, "input_norm")
 *                 input_ids       [-1,T] int64
 *                 attention_mask  [-1,T] int64 (1 token, 0 padding)
 *                 token_type_ids  [-1,T] int64, only if the text config has type_vocab_size &gt; 1
 *                 target          [-1,1,S,S] float, 0 background / 1 product
 *   outputs       logits          [B,2,S,S]   class scores (0 background, 1 product)
 *                 probability     [B,S,S]     softmax probability of the product
 *                 loss            scalar      pixel cross-entropy, mean over pixels and batch (the loss variable),
 *                                             plus dice_weight × the soft Dice loss and title_heads_weight × the
 *                                             {@link TitleHeads} loss, grounding_weight × the {@link GroundingLoss}
 *                                             side_output_weight × the {@link SideOutputs} loss and visual_heads_weight × the
 *                                             {@link VisualHeads} loss when configured
 *                 color_label, category_label [-1,K+1] float, only with title heads
 *                 naming_tokens   [-1,T] float, only with the grounding loss ({@link GroundingLoss})
 *                 target_color, target_category [-1,K] float, only with the visual heads ({@link VisualHeads})
 *                 fusion.{i}.vql.attention [B,N_i,T]  VQL attention of stage i (variant mqn only; {@link #attentionNames()})
 * </pre>
 * Variable names: Swin's are torchvision's ({@code features.…}, plus the dense-prediction norms
 * {@code norm0}…{@code norm3}), the text encoder's HuggingFace's ({@code embeddings.…},
 * {@code encoder.layer.…}), the fusion's {@code fusion.{i}.{lqv,vql}.…} and {@code fusion.{i}.gate}
 * (stage i = 1..4), the decoder's {@code decoder.…}.
 *
 * <p>Where the norms sit (as LAVT): LQV/VQL read the raw stage output V_i; the decoder gets
 * {@code norm{i-1}}(F^i), F^i being F_f (mqn), F_m (no_vql) or V_i (vision_only or a stage that does
 * not fuse).
 */
public final class MqnNetwork {
    private final SameDiff sd;
    private final MqnConfig config;
    private final List<String> attentionNames;

    private MqnNetwork(SameDiff sd, MqnConfig config, List<String> attentionNames) {
        this.sd = sd;
        this.config = config;
        this.attentionNames = List.copyOf(attentionNames);
    }

    /** The float network; {@code training} builds Swin's stochastic depth into the graph. */
    public static MqnNetwork build(MqnConfig cfg, boolean training) {
        return builder(cfg).training(training).build();
    }

    public static Builder builder(MqnConfig cfg) {
        return new Builder(cfg);
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public MqnConfig config() {
        return config;
    }

    /** Names of the VQL attention outputs, stage order (empty unless the variant is mqn). */
    public List<String> attentionNames() {
        return attentionNames;
    }

    /** Trainable variables of the backbone: {@code features.*} and the stage norms {@code norm0..3}. */
    public List<String> swinVariables() {
        return variables("features.", "norm");
    }

    /** Trainable variables of the text encoder: {@code embeddings.*}, {@code encoder.*}. */
    public List<String> textVariables() {
        return variables("embeddings.", "encoder.");
    }

    /** Trainable variables of LQV/VQL, the fusion gates and the decoder: {@code fusion.*}, {@code decoder.*}. */
    public List<String> fusionVariables() {
        return variables("fusion.", "decoder.");
    }

    /**
     * Variables that take no weight decay (the paper: none on norms and position-bias tables): every
     * norm's weight and bias, every bias, the relative position bias tables, the fusion gates and the grounding scales.
     */
    public List<String> noDecayVariables() {
        List<String> out = new ArrayList<>();
        for (String n : variables("")) {
            String lower = n.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("norm") || n.endsWith(".bias") || n.endsWith("relative_position_bias_table")
                    || n.endsWith(".gate") || n.endsWith(".ground.scale")) {
                out.add(n);
            }
        }
        return out;
    }

    private List<String> variables(String... prefixes) {
        List<String> out = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            for (String p : prefixes) {
                if (v.name().startsWith(p)) {
                    out.add(v.name());
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Loads pretrained Swin weights (torchvision, official or timm names; bias tables resized to the
     * configured window). Variables the checkpoint lacks (stage norms, for an ImageNet model) keep
     * their initial values and are listed as missing.
     */
    public LoadReport loadSwin(Path safetensors) {
        try (SafetensorsFile f = SafetensorsFile.open(safetensors)) {
            return SwinCheckpoint.of(f).loadInto(sd, config.swin().windowSize(), false);
        }
    }

    /** Loads pretrained text-encoder weights (HuggingFace BERT/RoBERTa names, {@code bert.} prefix optional). */
    public LoadReport loadText(Path safetensors) {
        try (SafetensorsFile f = SafetensorsFile.open(safetensors)) {
            return CheckpointLoader.load(sd, f, TextCheckpoint::toEncoderName, false);
        }
    }

    /** Options of the graph. */
    public static final class Builder {
        private final MqnConfig cfg;
        private boolean training = false;
        private DataType dataType = DataType.FLOAT;

        private Builder(MqnConfig cfg) {
            this.cfg = cfg;
        }

        /** Build stochastic depth into the graph (random at every run, also in output()). */
        public Builder training(boolean v) { training = v; return this; }

        /** FLOAT; DOUBLE for gradient checks. */
        public Builder dataType(DataType v) { dataType = v; return this; }

        public MqnNetwork build() {
            SameDiff sd = SameDiff.create();
            int s = cfg.imageSize();
            int t = cfg.maxTitleLength();
            SwinTransformer swin = SwinTransformer.builder(cfg.swin(), s, s).dataType(dataType).seed(cfg.seed())
                    .training(training).build(sd);
            SDVariable image = swin.input();
            if (cfg.channelMeans() != null) {
                if (cfg.channelMeansPending()) {
                    throw new MqnException("channel_means: train has no numbers yet: mqn train measures them on the training"
                            + " split and writes them into the run's config.yaml; give three numbers (R, G, B) to build the"
                            + " network elsewhere");
                }
                image = ChannelMeanNorm.apply(sd, "input_norm", image, s, cfg.channelMeans(), cfg.channelNorm(), SampleLoader.MEAN,
                        SampleLoader.STD);
            }
            TextEncoder.Output text = new TextEncoder(cfg.text(), t).build(new Params(sd, dataType, cfg.seed() + 1));
            SDVariable language = text.hidden();
            SDVariable mask = text.mask().castTo(dataType);
            int textDim = cfg.text().hiddenSize();
            Params p = new Params(sd, dataType, cfg.seed() + 2);

            List<SDVariable> toDecoder = new ArrayList<>();
            List<String> attentions = new ArrayList<>();
            List<FeatureMap> grounded = new ArrayList<>();
            List<FeatureMap> sides = new ArrayList<>();
            List<FeatureMap> backbone = new ArrayList<>();
            int[][] sizes = new int[4][];
            int[] dims = new int[4];
            int[] decoderDims = new int[4];
            org.mqn4j.data.Vocabulary vocabulary = org.mqn4j.data.Vocabulary.standard();
            int colours = vocabulary.colours().size();
            int categories = vocabulary.categories().size();
            // with attribute_match the title heads feed the graph, so they are built first
            TitleHeads.Logits title = cfg.attributeMatch().length > 0
                    ? TitleHeads.logits(p, language, mask, t, textDim, colours, categories) : null;
            Map<Integer, SDVariable[]> visual = new HashMap<>();
            List<FeatureMap> probes = new ArrayList<>();
            SDVariable x = swin.patchEmbed(image);
            for (int i = 0; i < 4; i++) {
                int stage = i + 1;
                sizes[i] = swin.stageSize(i);
                dims[i] = cfg.swin().stageDim(i);
                int h = sizes[i][0];
                int w = sizes[i][1];
                int stride = cfg.swin().patchSize() << i;
                SDVariable v = swin.stage(i, x);
                backbone.add(new FeatureMap(stage, v, h, w, dims[i], stride));
                SDVariable feature = v;
                if (cfg.fuses(stage)) {
                    String prefix = "fusion." + stage;
                    LanguageQueryVision lqv = LanguageQueryVision.apply(p, prefix + ".lqv", v, language, mask, h, w, t,
                            dims[i], textDim);
                    grounded.add(new FeatureMap(stage, lqv.response(), h, w, t, stride));
                    if (cfg.variant() == MqnConfig.Variant.MQN) {
                        VisionQueryLanguage vql = VisionQueryLanguage.apply(p, prefix + ".vql", v, lqv, mask, h, w, t, dims[i]);
                        feature = vql.filter();
                        attentions.add(vql.attention().name());
                    } else {
                        feature = lqv.matched();
                    }
                    if (i < 3) {
                        v = EarlyFusion.apply(p, prefix, v, feature, dims[i], cfg.fusionGateInit());
                    }
                }
                // the decoder reads norm{i-1}(F^i); with decoder_norm group a fused stage's F_f gets its own per-map
                // norm (fusion.{i}.out_norm), which keeps how strongly each pixel matches the title
                toDecoder.add(cfg.fuses(stage) && cfg.decoderNorm() == Decoder.Norm.GROUP
                        ? cfg.decoderNorm().apply(p, "fusion." + stage + ".out_norm", feature, h, w, dims[i])
                        : swin.stageNorm(i, feature));
                sides.add(new FeatureMap(stage, toDecoder.get(i), h, w, dims[i], stride));
                decoderDims[i] = dims[i];
                if (cfg.matchesAttributes(stage)) {
                    // the heads read the stage as probes: their loss does not reach the fusion that fed this stage
                    FeatureMap probe = new FeatureMap(stage, AttributeMatch.detach(backbone.get(i).value()), h, w, dims[i], stride);
                    probes.add(probe);
                    SDVariable[] z = VisualHeads.logits(p, probe, colours, categories);
                    visual.put(stage, z);
                    toDecoder.set(i, sd.concat(3, toDecoder.get(i), AttributeMatch.read(z, title, h, w, colours, categories)));
                    decoderDims[i] += 2;
                }
                if (i < 3) {
                    x = swin.merge(i, v);
                }
            }
            SDVariable logits = Decoder.apply(p, "logits", toDecoder, sizes, decoderDims, cfg.decoderDim(), image,
                    cfg.decoderFineDim(), cfg.decoderNorm(), s, s);
            // two classes: log-softmax through the score difference d = z1 − z0, stable for any d
            SDVariable d = logits.get(SDIndex.all(), SDIndex.interval(1, 2), SDIndex.all(), SDIndex.all())
                    .sub(logits.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all(), SDIndex.all())); // [B,1,S,S]
            sd.nn.sigmoid(d).reshape(-1, s, s).rename("probability");
            SDVariable target = sd.placeHolder("target", dataType, -1, 1, s, s);
            // −[t·log σ(d) + (1−t)·log σ(−d)] = softplus(d) − t·d
            SDVariable loss = PixelLoss.crossEntropy(sd, d, target).mean();
            if (cfg.diceWeight() > 0) {
                // soft Dice per image, 1 − (2Σpt + 1)/(Σp + Σt + 1), mean over the batch
                SDVariable prob = sd.nn.sigmoid(d);
                SDVariable inter = prob.mul(target).sum(1, 2, 3);
                SDVariable total = prob.sum(1, 2, 3).add(target.sum(1, 2, 3));
                SDVariable dice = inter.mul(2.0).add(1.0).div(total.add(1.0)).rsub(1.0).mean();
                loss = loss.add(dice.mul(cfg.diceWeight()));
            }
            if (cfg.titleHeadsWeight() > 0) {
                loss = loss.add((title != null ? TitleHeads.loss(p, title, colours, categories)
                        : TitleHeads.loss(p, language, mask, t, textDim, colours, categories)).mul(cfg.titleHeadsWeight()));
            }
            if (cfg.groundingWeight() > 0 && !grounded.isEmpty()) {
                loss = loss.add(GroundingLoss.apply(p, grounded, target, mask, s, t, cfg.groundingCategoryStages()).mul(cfg.groundingWeight()));
            }
            if (cfg.sideOutputWeight() > 0) {
                loss = loss.add(SideOutputs.apply(p, sides, target, s).mul(cfg.sideOutputWeight()));
            }
            if (cfg.visualHeadsWeight() > 0) {
                loss = loss.add(VisualHeads.apply(p, probes.isEmpty() ? backbone : probes, target, s, colours, categories, visual)
                        .mul(cfg.visualHeadsWeight()));
            }
            loss = loss.rename("loss");
            sd.setLossVariables(loss);
            return new MqnNetwork(sd, cfg, attentions);
        }
    }
}
