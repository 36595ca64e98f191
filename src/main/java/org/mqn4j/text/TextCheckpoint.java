package org.mqn4j.text;

/**
 * HuggingFace BERT/RoBERTa checkpoint names → the encoder's variable names. The encoder uses
 * HuggingFace's names without the model prefix, so this only strips {@code bert.} / {@code roberta.},
 * maps TF-era {@code LayerNorm.gamma} / {@code beta} to {@code weight} / {@code bias}, and sets aside
 * what the encoder does not use (pooler, pre-training heads, the {@code position_ids} buffer).
 * Pass {@link #toEncoderName} as the rename function of {@link org.mqn4j.io.CheckpointLoader}.
 */
public final class TextCheckpoint {

    private TextCheckpoint() {
    }

    /** The encoder variable for a checkpoint key, or null if the encoder has no use for it. */
    public static String toEncoderName(String key) {
        String k = key;
        for (String prefix : new String[]{"bert.", "roberta.", "text_encoder."}) {
            if (k.startsWith(prefix)) {
                k = k.substring(prefix.length());
                break;
            }
        }
        if (k.endsWith("LayerNorm.gamma")) {
            k = k.substring(0, k.length() - "gamma".length()) + "weight";
        } else if (k.endsWith("LayerNorm.beta")) {
            k = k.substring(0, k.length() - "beta".length()) + "bias";
        }
        boolean encoder = k.startsWith("embeddings.") || k.startsWith("encoder.layer.");
        boolean buffer = k.equals("embeddings.position_ids") || k.equals("embeddings.token_type_ids");
        return encoder && !buffer ? k : null; // pooler.*, cls.*, lm_head.*, buffers: unused
    }
}
