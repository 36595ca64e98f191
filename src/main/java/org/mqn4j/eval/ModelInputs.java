package org.mqn4j.eval;

import org.mqn4j.data.MmpsBatch;
import org.mqn4j.data.TargetAttributes;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.fusion.GroundingLoss;
import org.mqn4j.fusion.TitleHeads;
import org.mqn4j.fusion.VisualHeads;
import org.nd4j.linalg.factory.Nd4j;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.EncodedBatch;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of an MQN graph's placeholders and outputs, and the placeholder values for a batch:
 * {@code input} [B,3,S,S] float (normalised image), {@code input_ids} and {@code attention_mask}
 * [B,T] INT64 (tokenised titles), {@code token_type_ids} [B,T] INT64 (all 0; only in graphs that declare
 * it), {@code target} [B,1,S,S] float 0/1 (training only); outputs
 * {@code logits} [B,2,S,S], {@code probability} [B,S,S] (foreground) and {@code loss}.
 */
public final class ModelInputs {
    public static final String INPUT = "input";
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String TARGET = "target";
    public static final String LOGITS = "logits";
    public static final String PROBABILITY = "probability";
    public static final String LOSS = "loss";

    private ModelInputs() {
    }

    /** Whether a graph declares the optional {@code token_type_ids} placeholder. */
    public static boolean usesTokenTypes(SameDiff sd) {
        return sd.hasVariable(TOKEN_TYPE_IDS) && sd.getVariable(TOKEN_TYPE_IDS).isPlaceHolder();
    }

    /** The graph's input placeholders in feeding order: input, input_ids, attention_mask[, token_type_ids]. */
    public static List<String> featureNames(SameDiff sd) {
        return usesTokenTypes(sd) ? List.of(INPUT, INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS)
                : List.of(INPUT, INPUT_IDS, ATTENTION_MASK);
    }

    /** Placeholders for inference: image and tokenised titles (with token types if the graph declares them). */
    public static Map<String, INDArray> inference(SameDiff sd, MmpsBatch batch, BertTokenizer tokenizer) {
        return inference(sd, tokenizer.encode(batch.titles()), batch);
    }

    private static Map<String, INDArray> inference(SameDiff sd, EncodedBatch enc, MmpsBatch batch) {
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(INPUT, batch.images());
        ph.put(INPUT_IDS, enc.inputIds());
        ph.put(ATTENTION_MASK, enc.attentionMask(DataType.INT64));
        if (usesTokenTypes(sd)) {
            ph.put(TOKEN_TYPE_IDS, enc.tokenTypeIds(DataType.INT64));
        }
        return ph;
    }

    /** The graph's label placeholders in feeding order: target[, color_label, category_label][, naming_tokens[, naming_colour_tokens]]. */
    public static List<String> labelNames(SameDiff sd) {
        List<String> out = new ArrayList<>(List.of(TARGET));
        if (hasTitleHeads(sd)) {
            out.addAll(List.of(TitleHeads.COLOR_LABEL, TitleHeads.CATEGORY_LABEL));
        }
        if (hasGrounding(sd)) {
            out.add(GroundingLoss.NAMING_TOKENS);
        }
        if (hasColourGrounding(sd)) {
            out.add(GroundingLoss.COLOUR_TOKENS);
        }
        if (hasVisualHeads(sd)) {
            out.addAll(List.of(VisualHeads.COLOR, VisualHeads.CATEGORY));
        }
        return List.copyOf(out);
    }

    /** Whether the graph has the auxiliary {@link VisualHeads}. */
    public static boolean hasVisualHeads(SameDiff sd) {
        return sd.hasVariable(VisualHeads.COLOR) && sd.getVariable(VisualHeads.COLOR).isPlaceHolder();
    }

    /** Whether the graph has the auxiliary {@link GroundingLoss}. */
    public static boolean hasGrounding(SameDiff sd) {
        return sd.hasVariable(GroundingLoss.NAMING_TOKENS) && sd.getVariable(GroundingLoss.NAMING_TOKENS).isPlaceHolder();
    }

    /** Whether the graph's {@link GroundingLoss} grounds only the colour word at some stage. */
    public static boolean hasColourGrounding(SameDiff sd) {
        return sd.hasVariable(GroundingLoss.COLOUR_TOKENS) && sd.getVariable(GroundingLoss.COLOUR_TOKENS).isPlaceHolder();
    }

    /** Whether the graph has the auxiliary {@link TitleHeads}. */
    public static boolean hasTitleHeads(SameDiff sd) {
        return sd.hasVariable(TitleHeads.COLOR_LABEL) && sd.getVariable(TitleHeads.COLOR_LABEL).isPlaceHolder();
    }

    /**
     * Placeholders for training: {@link #inference} plus the target mask and, for a graph with
     * {@link TitleHeads}, the one-hot colour and category labels of {@link TargetAttributes} (an
     * all-zero row where a record has no attributes), and for a graph with the {@link GroundingLoss} the
     * {@link NamingTokens} of each title, and for a graph with {@link VisualHeads} the one-hot colour and
     * category the image shows ({@link TargetAttributes#shown}).
     */
    public static Map<String, INDArray> training(SameDiff sd, MmpsBatch batch, BertTokenizer tokenizer) {
        EncodedBatch enc = tokenizer.encode(batch.titles());
        Map<String, INDArray> ph = inference(sd, enc, batch);
        ph.put(TARGET, batch.masks());
        Vocabulary vocab = Vocabulary.standard();
        int colours = vocab.colours().size();
        int categories = vocab.categories().size();
        if (hasTitleHeads(sd)) {
            List<TargetAttributes> named = batch.records().stream().map(r -> TargetAttributes.of(r, vocab)).toList();
            DataType dt = sd.getVariable(TitleHeads.COLOR_LABEL).dataType();
            ph.put(TitleHeads.COLOR_LABEL, oneHot(named.stream().mapToInt(TargetAttributes::colour).toArray(), colours + 1, dt));
            ph.put(TitleHeads.CATEGORY_LABEL, oneHot(named.stream().mapToInt(TargetAttributes::category).toArray(), categories + 1, dt));
        }
        if (hasGrounding(sd)) {
            float[][] naming = new float[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                naming[i] = NamingTokens.of(batch.records().get(i), enc.ids()[i], tokenizer);
            }
            ph.put(GroundingLoss.NAMING_TOKENS, Nd4j.createFromArray(naming).castTo(sd.getVariable(GroundingLoss.NAMING_TOKENS).dataType()));
        }
        if (hasColourGrounding(sd)) {
            float[][] colour = new float[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                colour[i] = NamingTokens.of(batch.records().get(i), enc.ids()[i], tokenizer, List.of("color"));
            }
            ph.put(GroundingLoss.COLOUR_TOKENS, Nd4j.createFromArray(colour).castTo(sd.getVariable(GroundingLoss.COLOUR_TOKENS).dataType()));
        }
        if (hasVisualHeads(sd)) {
            List<TargetAttributes> shown = batch.records().stream().map(r -> TargetAttributes.shown(r, vocab)).toList();
            DataType dt = sd.getVariable(VisualHeads.COLOR).dataType();
            ph.put(VisualHeads.COLOR, oneHot(shown.stream().mapToInt(TargetAttributes::colour).toArray(), colours, dt));
            ph.put(VisualHeads.CATEGORY, oneHot(shown.stream().mapToInt(TargetAttributes::category).toArray(), categories, dt));
        }
        return ph;
    }

    /** [B,classes] rows one-hot at classes[b]; a row stays 0 where the class is -1 (unknown). */
    private static INDArray oneHot(int[] labels, int classes, DataType dt) {
        INDArray out = Nd4j.zeros(dt, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                out.putScalar(i, labels[i], 1.0);
            }
        }
        return out;
    }
}
