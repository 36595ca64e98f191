package org.mqn4j.eval;

import org.mqn4j.data.MmpsRecord;
import org.mqn4j.text.BertTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Which title tokens name the target, the label of the {@link org.mqn4j.fusion.GroundingLoss}: every
 * occurrence, in the encoded title, of the target's colour word ({@code target.color_zh}) and category
 * word ({@code target.category_zh}) from a record's metadata, each only if {@code title_names} lists
 * it (or there is no {@code title_names}). A record without that metadata marks nothing.
 */
public final class NamingTokens {
    /** The kinds of naming word, as {@code title_names} spells them. */
    public static final List<String> KINDS = List.of("color", "category");

    private NamingTokens() {
    }

    /**
     * 1 on the positions of an encoded title ({@code ids}, e.g. {@link org.mqn4j.text.Encoding#ids()}) that spell
     * a naming word, 0 elsewhere. Special tokens ([CLS], [SEP], [PAD]) never belong to a word, so the whole row is searched.
     */
    public static float[] of(MmpsRecord record, int[] ids, BertTokenizer tokenizer) {
        return of(record, ids, tokenizer, KINDS);
    }

    /** As {@link #of(MmpsRecord, int[], BertTokenizer)}, for the naming words of the given kinds only ({@code color}, {@code category}). */
    public static float[] of(MmpsRecord record, int[] ids, BertTokenizer tokenizer, List<String> kinds) {
        float[] out = new float[ids.length];
        for (String word : namingWords(record.metadata(), kinds)) {
            int[] wordIds = tokenizer.tokenize(word).stream().mapToInt(tokenizer.vocab()::idOrUnk).toArray();
            if (wordIds.length == 0) {
                continue;
            }
            for (int start = 0; start + wordIds.length <= ids.length; start++) {
                if (matches(ids, start, wordIds)) {
                    Arrays.fill(out, start, start + wordIds.length, 1f);
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
        return namingWords(meta, KINDS);
    }

    static List<String> namingWords(Map<String, Object> meta, List<String> kinds) {
        if (!KINDS.containsAll(kinds)) {
            throw new IllegalArgumentException("naming word kinds are " + KINDS + ", not " + kinds);
        }
        List<String> words = new ArrayList<>();
        if (!(meta.get("target") instanceof Map<?, ?> target)) {
            return words;
        }
        List<?> names = meta.get("title_names") instanceof List<?> l ? l : null;
        for (String kind : kinds) {
            add(words, target.get(kind + "_zh"), names, kind);
        }
        return words;
    }

    private static void add(List<String> words, Object word, List<?> names, String key) {
        if (word != null && !word.toString().isBlank() && (names == null || names.contains(key))) {
            words.add(word.toString());
        }
    }
}
