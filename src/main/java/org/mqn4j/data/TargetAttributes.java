package org.mqn4j.data;

import java.util.List;
import java.util.Map;

/**
 * The target's colour and category class as the title names them, from a record's metadata (the
 * synthetic generator writes {@code target: {color, category}} and {@code title_names}): class i is
 * the vocabulary's i-th colour/category, class K (= their count) "the title does not name it",
 * -1 unknown (no metadata: such a record adds no auxiliary loss).
 *
 * @param colour   0..K_c, or -1
 * @param category 0..K_k, or -1
 */
public record TargetAttributes(int colour, int category) {

    /** Reads {@code record}'s metadata; unknown values and missing fields give -1. */
    public static TargetAttributes of(MmpsRecord record, Vocabulary vocab) {
        Map<String, Object> meta = record.metadata();
        if (!(meta.get("target") instanceof Map<?, ?> target)) {
            return new TargetAttributes(-1, -1);
        }
        List<?> names = meta.get("title_names") instanceof List<?> l ? l : null;
        return new TargetAttributes(
                index(target.get("color"), names, "color", vocab.colours().stream().map(Vocabulary.Colour::en).toList()),
                index(target.get("category"), names, "category", vocab.categories().stream().map(Vocabulary.Category::en).toList()));
    }

    /**
     * The target's colour and category as the image shows them, whether or not the title names them:
     * 0..K-1 (never the "not named" class), -1 where the metadata lacks it or names a value outside the vocabulary.
     */
    public static TargetAttributes shown(MmpsRecord record, Vocabulary vocab) {
        if (!(record.metadata().get("target") instanceof Map<?, ?> target)) {
            return new TargetAttributes(-1, -1);
        }
        return new TargetAttributes(
                index(target.get("color"), null, "color", vocab.colours().stream().map(Vocabulary.Colour::en).toList()),
                index(target.get("category"), null, "category", vocab.categories().stream().map(Vocabulary.Category::en).toList()));
    }

    private static int index(Object value, List<?> names, String key, List<String> classes) {
        if (names != null && !names.contains(key)) {
            return classes.size();
        }
        int i = value == null ? -1 : classes.indexOf(value.toString());
        return names == null && i < 0 ? -1 : i;
    }
}
