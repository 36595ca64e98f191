package org.mqn4j.train;

import org.mqn4j.io.LoadReport;
import org.nd4j.autodiff.samediff.SameDiff;

import java.nio.file.Path;

/**
 * What the {@link Trainer} needs to know about a network: how to build its graph and which of its
 * variables belong to the two encoders. The graph follows the contract of {@link org.mqn4j.eval.ModelInputs}:
 * placeholders {@code input} [B,3,S,S], {@code input_ids} and {@code attention_mask} [B,T] INT64,
 * {@code target} [B,1,S,S]; outputs {@code logits} [B,2,S,S], {@code probability} [B,S,S] and, in
 * the training graph, the loss variable {@code loss}.
 */
public interface ModelDefinition {

    /** Builds the graph with freshly initialised weights; {@code training} adds stochastic layers and the loss. */
    SameDiff build(boolean training);

    /** Input size S of the images. */
    int imageSize();

    /** Title length T in tokens (the tokenizer's max length). */
    int maxLength();

    /** The tokenizer's vocabulary (the text encoder's embedding rows follow its ids). */
    default org.mqn4j.text.WordPieceVocab vocab() {
        return org.mqn4j.text.WordPieceVocab.defaultVocab();
    }

    /** True for a variable of the Swin backbone (frozen by {@code freeze_swin}). */
    boolean isSwinVariable(String name);

    /**
     * The Swin stage (1-4) of a backbone variable in torchvision's names, for {@code freeze_swin_stages}: stage i
     * holds {@code features.(2i-1)} (its blocks), {@code features.(2i-2)} (the patch merging that feeds it; the patch
     * embedding {@code features.0} for stage 1) and its stage norm {@code norm(i-1)}. 0 for any other name.
     */
    static int swinStage(String name) {
        java.util.regex.Matcher m = SwinNames.STAGE.matcher(name);
        if (!m.find()) {
            return 0;
        }
        return m.group(1) != null ? Integer.parseInt(m.group(1)) / 2 + 1 : Integer.parseInt(m.group(2)) + 1;
    }

    /** Holder of the compiled pattern of {@link #swinStage} (interfaces cannot have private static fields). */
    final class SwinNames {
        static final java.util.regex.Pattern STAGE = java.util.regex.Pattern.compile("^(?:features\\.(\\d+)|norm(\\d+))\\.");

        private SwinNames() {
        }
    }

    /** True for a variable of the text encoder (frozen by {@code freeze_text}). */
    boolean isTextVariable(String name);

    /** Loads pretrained Swin weights (safetensors) into the graph's Swin variables. */
    LoadReport loadSwinWeights(SameDiff sd, Path file);

    /** Loads pretrained text encoder weights (safetensors) into the graph's text variables. */
    LoadReport loadTextWeights(SameDiff sd, Path file);

    /** A canonical description of the model's settings; a resumed run must have the same one. */
    String description();

    /**
     * The model as a run on {@code data} trains it: settings measured on the data (the MQN's {@code channel_means: train})
     * are filled in and recorded in {@code runDir}. The default has none.
     */
    default ModelDefinition forRun(Path data, Path runDir, java.io.PrintStream out) {
        return this;
    }
}
