package org.mqn4j.eval;

import org.mqn4j.data.MmpsRecord;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which words of the title tell the target apart from the scene's distractors, from a record's
 * metadata ({@code target: {color, category}}, {@code distractors: [{color, category}, …]},
 * {@code title_names}, as the synthetic generator writes them). A word "tells the target apart" when
 * the title names that attribute and every distractor has another value of it. {@code mqn eval}
 * splits its table by this, so a model that reads only colour words shows it: its scores on
 * {@link #CATEGORY} scenes stay at the vision-only level.
 */
public enum TitleCue {
    /** No distractors: nothing to tell apart. */
    NONE("none", "no distractors"),
    /** The colour word alone singles out the target; the category word alone does not. */
    COLOUR("colour", "told apart by colour only"),
    /** The category word alone singles out the target; the colour word alone does not. */
    CATEGORY("category", "told apart by category only"),
    /** Either word alone singles out the target. */
    EITHER("either", "told apart by either word"),
    /** Neither word alone, only the two together. */
    BOTH("both", "told apart by colour and category together"),
    /** The title does not single out the target (not made by the generator; kept for other data). */
    AMBIGUOUS("ambiguous", "not told apart by the title");

    private final String key;
    private final String description;

    TitleCue(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The JSON/CSV spelling. */
    public String key() {
        return key;
    }

    /** The table's row label. */
    public String description() {
        return description;
    }

    /** The record's cue, or null when its metadata lacks target, distractors or title_names. */
    public static TitleCue of(MmpsRecord record) {
        Map<String, Object> meta = record.metadata();
        if (!(meta.get("target") instanceof Map<?, ?> target) || !(meta.get("distractors") instanceof List<?> distractors)
                || !(meta.get("title_names") instanceof List<?> names)) {
            return null;
        }
        if (distractors.isEmpty()) {
            return NONE;
        }
        boolean byColour = names.contains("color") && differ(target, distractors, "color");
        boolean byCategory = names.contains("category") && differ(target, distractors, "category");
        if (byColour && byCategory) {
            return EITHER;
        }
        if (byColour) {
            return COLOUR;
        }
        if (byCategory) {
            return CATEGORY;
        }
        boolean together = names.contains("color") && names.contains("category") && distractors.stream().allMatch(d ->
                d instanceof Map<?, ?> m && (!Objects.equals(m.get("color"), target.get("color"))
                        || !Objects.equals(m.get("category"), target.get("category"))));
        return together ? BOTH : AMBIGUOUS;
    }

    /** Every distractor's {@code key} differs from the target's. */
    private static boolean differ(Map<?, ?> target, List<?> distractors, String key) {
        return target.get(key) != null && distractors.stream().allMatch(d -> d instanceof Map<?, ?> m
                && !Objects.equals(m.get(key), target.get(key)));
    }
}
