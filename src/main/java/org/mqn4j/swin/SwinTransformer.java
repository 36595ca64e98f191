package org.mqn4j.swin;

import org.mqn4j.ops.Linear;
import org.mqn4j.ops.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * Swin Transformer (v1) as a SameDiff graph, part by part, with torchvision's parameter names
 * ({@code features.0.0.weight}, {@code features.1.0.attn.qkv.weight}, {@code features.2.reduction.weight},
 * {@code norm.weight}, {@code head.weight}), so a torchvision state_dict loads by name.
 *
 * <p>Parts (stage index {@code i} is 0-based; each part may be built once):
 * <pre>
 *   x = swin.patchEmbed(swin.input())      features.0    [B,3,H,W] → [B,H/4,W/4,C]
 *   x = swin.stage(i, x)                   features.2i+1 [B,H_i,W_i,C_i], raw stage output
 *   x = swin.merge(i, x)                   features.2i+2 → [B,⌈H_i/2⌉,⌈W_i/2⌉,2C_i]  (i &lt; 3)
 *   swin.stageNorm(i, x)                   norm{i}       LayerNorm for dense prediction (LAVT names)
 *   swin.classifier(x, classes)            norm, mean over H,W, head → [B, classes]
 * </pre>
 * so a caller can add a fused feature to a stage's output before it is merged. The batch is
 * dynamic; H and W are fixed when built.
 */
public final class SwinTransformer {
    private final SameDiff sd;
    private final SwinConfig config;
    private final Params params;
    private final boolean training;
    private final int height;
    private final int width;
    private final int[][] sizes; // [stage][h, w]

    private SwinTransformer(SameDiff sd, SwinConfig config, int height, int width, DataType dataType, long seed,
                            boolean training) {
        this.sd = sd;
        this.config = config;
        this.height = height;
        this.width = width;
        this.training = training;
        this.params = new Params(sd, dataType, seed);
        int stages = config.numStages();
        this.sizes = new int[stages][];
        int h = height / config.patchSize();
        int w = width / config.patchSize();
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("input " + height + "x" + width + " is smaller than one patch");
        }
        for (int i = 0; i < stages; i++) {
            sizes[i] = new int[]{h, w};
            h = (h + 1) / 2;
            w = (w + 1) / 2;
        }
    }

    /** A Swin over {@code height}×{@code width} images in {@code sd}, float, for inference. */
    public static SwinTransformer create(SameDiff sd, SwinConfig config, int height, int width) {
        return builder(config, height, width).build(sd);
    }

    public static Builder builder(SwinConfig config, int height, int width) {
        return new Builder(config, height, width);
    }

    public SwinConfig config() {
        return config;
    }

    public SameDiff sameDiff() {
        return sd;
    }

    /** {h, w} of stage {@code i}'s feature map. */
    public int[] stageSize(int i) {
        return sizes[i].clone();
    }

    /** The image placeholder {@code input} [-1, 3, H, W] (created on the first call). */
    public SDVariable input() {
        return sd.hasVariable("input") ? sd.getVariable("input")
                : sd.placeHolder("input", params.dataType(), -1, 3, height, width);
    }

    /** The stem, {@code features.0}: [B,3,H,W] → [B,H_0,W_0,C]. */
    public SDVariable patchEmbed(SDVariable image) {
        return PatchEmbed.apply(params, image, config.patchSize(), config.embedDim(), config.layerNormEps());
    }

    /** The blocks of stage {@code i}, {@code features.(2i+1)}; shifts alternate 0, window/2. */
    public SDVariable stage(int i, SDVariable x) {
        int[] depths = config.depths();
        int total = 0;
        int first = 0;
        for (int s = 0; s < depths.length; s++) {
            if (s < i) {
                first += depths[s];
            }
            total += depths[s];
        }
        int dim = config.stageDim(i);
        int window = config.windowSize();
        for (int b = 0; b < depths[i]; b++) {
            double drop = total > 1 ? config.stochasticDepth() * (first + b) / (total - 1) : 0.0;
            x = SwinBlock.apply(params, "features." + (2 * i + 1) + "." + b, x, sizes[i][0], sizes[i][1], dim,
                    config.numHeads()[i], window, b % 2 == 0 ? 0 : window / 2, config.mlpRatio(),
                    config.layerNormEps(), drop, training);
        }
        return x;
    }

    /** PatchMerging after stage {@code i}, {@code features.(2i+2)}: to stage i+1's size and width. */
    public SDVariable merge(int i, SDVariable x) {
        if (i >= config.numStages() - 1) {
            throw new IllegalArgumentException("no patch merging after the last stage (" + i + ")");
        }
        return PatchMerging.apply(params, "features." + (2 * i + 2), x, sizes[i][0], sizes[i][1], config.stageDim(i),
                config.layerNormEps());
    }

    /** LayerNorm {@code norm{i}} of stage {@code i}'s output, for dense prediction (as LAVT's backbone). */
    public SDVariable stageNorm(int i, SDVariable x) {
        return params.layerNorm("norm" + i, x, config.stageDim(i), config.layerNormEps());
    }

    /** torchvision's head: {@code norm}, average over H and W, {@code head}; output named {@code logits}. */
    public SDVariable classifier(SDVariable last, int classes) {
        int c = config.stageDim(config.numStages() - 1);
        SDVariable y = params.layerNorm("norm", last, c, config.layerNormEps()).mean(1, 2);
        SDVariable w = params.truncNormal("head.weight", 0.02, classes, c);
        SDVariable b = params.zeros("head.bias", classes);
        return Linear.apply(sd, "logits", y, w, b, -1, classes);
    }

    /**
     * The whole backbone on {@code image}: the raw outputs of the stages, named {@code stage1} …
     * {@code stageN}, [B, H_i, W_i, C_i] as torchvision's {@code features[1]}, {@code [3]}, ….
     */
    public List<SDVariable> features(SDVariable image) {
        List<SDVariable> out = new ArrayList<>();
        SDVariable x = patchEmbed(image);
        for (int i = 0; i < config.numStages(); i++) {
            x = sd.identity("stage" + (i + 1), stage(i, x));
            out.add(x);
            if (i < config.numStages() - 1) {
                x = merge(i, x);
            }
        }
        return out;
    }

    /** Number of trainable parameters in the graph (all its VARIABLEs). */
    public static long parameterCount(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }

    /** Options of a Swin graph; {@link #build(SameDiff)} adds nothing to the graph until parts are called. */
    public static final class Builder {
        private final SwinConfig config;
        private final int height;
        private final int width;
        private DataType dataType = DataType.FLOAT;
        private long seed = 0;
        private boolean training = false;

        private Builder(SwinConfig config, int height, int width) {
            this.config = config;
            this.height = height;
            this.width = width;
        }

        /** Float type of parameters and input (FLOAT; DOUBLE for gradient checks). */
        public Builder dataType(DataType v) { dataType = v; return this; }

        /** Seed of the random initialisation. */
        public Builder seed(long v) { seed = v; return this; }

        /** Build stochastic depth into the graph (random at every run, also in output()). */
        public Builder training(boolean v) { training = v; return this; }

        public SwinTransformer build(SameDiff sd) {
            return new SwinTransformer(sd, config, height, width, dataType, seed, training);
        }
    }
}
