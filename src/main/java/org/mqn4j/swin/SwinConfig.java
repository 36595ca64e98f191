package org.mqn4j.swin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sizes of a Swin Transformer (v1). Immutable; build with {@link #builder()} or read from YAML
 * ({@code conf/swin_*.yaml}). Names follow torchvision's {@code SwinTransformer} arguments.
 *
 * @param patchSize       side of the non-overlapping patches of the stem (4)
 * @param embedDim        channels of stage 1 (96 for swin_t, 128 for swin_b)
 * @param depths          blocks per stage
 * @param numHeads        attention heads per stage
 * @param windowSize      side of the attention window (7; 12 for LAVT's Swin-B)
 * @param mlpRatio        hidden width of the MLP over the block width
 * @param stochasticDepth stochastic depth probability of the last block (grows linearly from 0)
 * @param layerNormEps    LayerNorm epsilon (1e-5)
 */
public record SwinConfig(
        @JsonProperty("patch_size") int patchSize,
        @JsonProperty("embed_dim") int embedDim,
        @JsonProperty("depths") int[] depths,
        @JsonProperty("num_heads") int[] numHeads,
        @JsonProperty("window_size") int windowSize,
        @JsonProperty("mlp_ratio") double mlpRatio,
        @JsonProperty("stochastic_depth_prob") double stochasticDepth,
        @JsonProperty("layer_norm_eps") double layerNormEps) {

    @JsonCreator
    public SwinConfig {
        if (depths == null || numHeads == null || depths.length != numHeads.length || depths.length == 0) {
            throw new IllegalArgumentException("depths and num_heads must be non-empty and of equal length");
        }
        depths = depths.clone();
        numHeads = numHeads.clone();
        if (patchSize <= 0 || embedDim <= 0 || windowSize <= 0 || mlpRatio <= 0) {
            throw new IllegalArgumentException("patch_size, embed_dim, window_size and mlp_ratio must be positive");
        }
        for (int i = 0; i < depths.length; i++) {
            int dim = embedDim << i;
            if (depths[i] <= 0 || numHeads[i] <= 0 || dim % numHeads[i] != 0) {
                throw new IllegalArgumentException("stage " + (i + 1) + ": width " + dim
                        + " must be divisible by its " + numHeads[i] + " heads, with at least one block");
            }
        }
        if (layerNormEps <= 0) {
            layerNormEps = 1e-5;
        }
    }

    @Override
    public int[] depths() {
        return depths.clone();
    }

    @Override
    public int[] numHeads() {
        return numHeads.clone();
    }

    /** Number of stages. */
    public int numStages() {
        return depths.length;
    }

    /** Channels of stage {@code i} (0-based): embedDim · 2^i. */
    public int stageDim(int i) {
        return embedDim << i;
    }

    /** torchvision swin_t: embed 96, depths [2,2,6,2], heads [3,6,12,24], window 7. */
    public static SwinConfig swinT() {
        return builder().embedDim(96).depths(2, 2, 6, 2).numHeads(3, 6, 12, 24).windowSize(7).stochasticDepth(0.2).build();
    }

    /** torchvision swin_s: embed 96, depths [2,2,18,2], heads [3,6,12,24], window 7. */
    public static SwinConfig swinS() {
        return builder().embedDim(96).depths(2, 2, 18, 2).numHeads(3, 6, 12, 24).windowSize(7).stochasticDepth(0.3).build();
    }

    /** torchvision swin_b: embed 128, depths [2,2,18,2], heads [4,8,16,32], window 7 (LAVT/MQN: 12). */
    public static SwinConfig swinB(int window) {
        return builder().embedDim(128).depths(2, 2, 18, 2).numHeads(4, 8, 16, 32).windowSize(window).stochasticDepth(0.5).build();
    }

    /**
     * Reads a YAML file of torchvision argument names ({@code embed_dim: 96}, {@code depths: [2, 2, 6, 2]}, …);
     * keys left out take the {@link Builder}'s defaults, unknown keys are an error.
     *
     * @throws MqnException naming the file if it is missing, malformed or inconsistent
     */
    public static SwinConfig load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode read;
        try {
            read = yaml.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new MqnException(file + ": cannot read Swin config: " + e.getMessage().split("\n")[0], e);
        }
        return fromTree(read, file.toString());
    }

    /**
     * The same from an already parsed mapping (e.g. a section of a larger YAML file); {@code source}
     * names it in errors.
     */
    public static SwinConfig fromTree(JsonNode read, String source) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        if (read == null || !read.isObject()) {
            throw new MqnException(source + ": expected a mapping of Swin settings");
        }
        try {
            ObjectNode merged = yaml.valueToTree(builder().build());
            merged.setAll((ObjectNode) read.deepCopy());
            return yaml.treeToValue(merged, SwinConfig.class);
        } catch (IOException e) {
            throw new MqnException(source + ": cannot read Swin config: " + e.getMessage().split("\n")[0], e);
        } catch (IllegalArgumentException e) {
            throw new MqnException(source + ": " + e.getMessage(), e);
        }
    }

    public Builder toBuilder() {
        return new Builder().patchSize(patchSize).embedDim(embedDim).depths(depths).numHeads(numHeads)
                .windowSize(windowSize).mlpRatio(mlpRatio).stochasticDepth(stochasticDepth).layerNormEps(layerNormEps);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwinConfig c && c.patchSize == patchSize && c.embedDim == embedDim
                && Arrays.equals(c.depths, depths) && Arrays.equals(c.numHeads, numHeads)
                && c.windowSize == windowSize && c.mlpRatio == mlpRatio
                && c.stochasticDepth == stochasticDepth && c.layerNormEps == layerNormEps;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(depths) + Arrays.hashCode(numHeads) + embedDim * 7 + windowSize;
    }

    @Override
    public String toString() {
        return "SwinConfig[patch=" + patchSize + ", embed=" + embedDim + ", depths=" + Arrays.toString(depths)
                + ", heads=" + Arrays.toString(numHeads) + ", window=" + windowSize + ", mlp=" + mlpRatio
                + ", sd=" + stochasticDepth + ", eps=" + layerNormEps + "]";
    }

    /** Builder with torchvision's defaults (patch 4, mlp ratio 4, eps 1e-5, no stochastic depth). */
    public static final class Builder {
        private int patchSize = 4;
        private int embedDim = 96;
        private int[] depths = {2, 2, 6, 2};
        private int[] numHeads = {3, 6, 12, 24};
        private int windowSize = 7;
        private double mlpRatio = 4.0;
        private double stochasticDepth = 0.0;
        private double layerNormEps = 1e-5;

        public Builder patchSize(int v) { patchSize = v; return this; }
        public Builder embedDim(int v) { embedDim = v; return this; }
        public Builder depths(int... v) { depths = v.clone(); return this; }
        public Builder numHeads(int... v) { numHeads = v.clone(); return this; }
        public Builder windowSize(int v) { windowSize = v; return this; }
        public Builder mlpRatio(double v) { mlpRatio = v; return this; }
        public Builder stochasticDepth(double v) { stochasticDepth = v; return this; }
        public Builder layerNormEps(double v) { layerNormEps = v; return this; }

        public SwinConfig build() {
            return new SwinConfig(patchSize, embedDim, depths, numHeads, windowSize, mlpRatio, stochasticDepth, layerNormEps);
        }
    }
}
