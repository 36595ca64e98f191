package org.mqn4j.text;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HuggingFace BERT/RoBERTa checkpoint names → the encoder's variable names. The encoder uses
 * HuggingFace's names without the model prefix, so this only strips {@code bert.} / {@code roberta.},
 * maps TF-era {@code LayerNorm.gamma} / {@code beta} to {@code weight} / {@code bias}, and sets aside
 * what the encoder does not use (pooler, pre-training heads, the {@code position_ids} buffer).
 */
public final class TextCheckpoint {

    private TextCheckpoint() {
    }

    /** The encoder name for a checkpoint key, or empty if the encoder has no use for it. */
    public static Optional<String> rename(String key) {
        String k = key;
        for (String prefix : new String[]{"bert.", "roberta.", "model."}) {
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
        if (k.startsWith("embeddings.") || k.startsWith("encoder.layer.")) {
            return k.equals("embeddings.position_ids") || k.equals("embeddings.token_type_ids") ? Optional.empty() : Optional.of(k);
        }
        return Optional.empty(); // pooler.*, cls.*, lm_head.*, anything else
    }

    /**
     * Renames a whole state dict. Keys the encoder does not use are returned under their original
     * names in {@code ignored}, so a load report can list them.
     */
    public static <T> Renamed<T> rename(Map<String, T> checkpoint) {
        Map<String, T> out = new LinkedHashMap<>();
        Map<String, T> ignored = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : checkpoint.entrySet()) {
            Optional<String> name = rename(e.getKey());
            if (name.isEmpty()) {
                ignored.put(e.getKey(), e.getValue());
            } else if (out.putIfAbsent(name.get(), e.getValue()) != null) {
                throw new IllegalArgumentException("checkpoint keys '" + from.get(name.get()) + "' and '" + e.getKey()
                        + "' both map to encoder variable '" + name.get() + "'");
            } else {
                from.put(name.get(), e.getKey());
            }
        }
        return new Renamed<>(out, ignored);
    }

    /** A renamed state dict and the keys set aside. */
    public record Renamed<T>(Map<String, T> tensors, Map<String, T> ignored) {}
}
