package org.mqn4j.eval;

import org.mqn4j.data.MmpsRecord;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.Encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which title tokens name the target, the label of the {@link org.mqn4j.fusion.GroundingLoss}: every
 * occurrence, in the encoded title, of the target's colour word ({@code target.color_zh}) and category
 * word ({@code target.category_zh}) from a record's metadata, each only if {@code title_names} lists
 * it (or there is no {@code title_names}). A record without that metadata marks nothing.
 */
public final class NamingTokens {
    private NamingTokens() {
    }

    /** 1 on the positions of {@code encoding} that spell a naming word, 0 elsewhere (length = the encoding's). */
    public static float[] of(MmpsRecord record, Encoding encoding, BertTokenizer tokenizer) {
        float[] out = new float[encoding.ids().length];
        for (String word : namingWords(record.metadata())) {
            List<String> pieces = tokenizer.tokenize(word);
            if (pieces.isEmpty()) {
                continue;
            }
            int[] ids = pieces.stream().mapToInt(tokenizer.vocab()::idOrUnk).toArray();
            // [CLS] at 0 and [SEP] at length-1 are never part of a word
            for (int start = 1; start + ids.length <= encoding.length() - 1; start++) {
                if (matches(encoding.ids(), start, ids)) {
                    for (int k = 0; k < ids.length; k++) {
                        out[start + k] = 1f;
                    }
                }
            }
        }
        return out;
    }

    private static boolean matches(int[] ids, int start, int[] word) {
        for (int k = 0; k < word.length; k++) {
            if (ids[start + k] != word[k]) {
                return false;
            }
        }
        return true;
    }

    static List<String> namingWords(Map<String, Object> meta) {
        List<String> words = new ArrayList<>();
        if (!(meta.get("target") instanceof Map<?, ?> target)) {
            return words;
        }
        List<?> names = meta.get("title_names") instanceof List<?> l ? l : null;
        add(words, target.get("color_zh"), names, "color");
        add(words, target.get("category_zh"), names, "category");
        return words;
    }

    private static void add(List<String> words, Object word, List<?> names, String key) {
        if (word != null && !word.toString().isBlank() && (names == null || names.contains(key))) {
            words.add(word.toString());
        }
    }
}
