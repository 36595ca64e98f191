package org.mqn4j.eval;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.MmpsRecord;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The cue of scenes worked out by hand: a red mug among the listed distractors, the title naming {@code names}. */
class TitleCueTest {

    private static MmpsRecord scene(List<String> names, String... distractors) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("target", Map.of("color", "red", "category", "mug"));
        meta.put("distractors", java.util.Arrays.stream(distractors).map(d -> {
            String[] cc = d.split(" ");
            return Map.of("color", cc[0], "category", cc[1]);
        }).toList());
        meta.put("title_names", names);
        return new MmpsRecord("test", 1, "x", Path.of("x.jpg"), Path.of("x.png"), "t", meta);
    }

    private static final List<String> BOTH_NAMED = List.of("color", "category");

    @Test
    void cuesByHand() {
        assertEquals(TitleCue.NONE, TitleCue.of(scene(BOTH_NAMED)));
        // a blue mug: only the colour differs
        assertEquals(TitleCue.COLOUR, TitleCue.of(scene(BOTH_NAMED, "blue mug")));
        // a red bottle: only the category differs
        assertEquals(TitleCue.CATEGORY, TitleCue.of(scene(BOTH_NAMED, "red bottle")));
        // a blue bottle: either word singles the mug out
        assertEquals(TitleCue.EITHER, TitleCue.of(scene(BOTH_NAMED, "blue bottle")));
        // a blue mug and a red bottle: neither word alone, both together
        assertEquals(TitleCue.BOTH, TitleCue.of(scene(BOTH_NAMED, "blue mug", "red bottle")));
        // a blue mug and a blue bottle: colour alone suffices, category alone does not
        assertEquals(TitleCue.COLOUR, TitleCue.of(scene(BOTH_NAMED, "blue mug", "blue bottle")));
    }

    @Test
    void onlyNamedWordsCount() {
        // the title names only the category: a blue mug cannot be told apart
        assertEquals(TitleCue.AMBIGUOUS, TitleCue.of(scene(List.of("category"), "blue mug")));
        assertEquals(TitleCue.CATEGORY, TitleCue.of(scene(List.of("category"), "blue bottle")));
        // names only the colour: a blue bottle is told apart by colour only
        assertEquals(TitleCue.COLOUR, TitleCue.of(scene(List.of("color"), "blue bottle")));
        // the same product twice: nothing tells them apart
        assertEquals(TitleCue.AMBIGUOUS, TitleCue.of(scene(BOTH_NAMED, "red mug")));
    }

    @Test
    void withoutMetadataThereIsNoCue() {
        assertNull(TitleCue.of(new MmpsRecord("test", 1, "x", Path.of("x.jpg"), Path.of("x.png"), "t", Map.of())));
        Map<String, Object> meta = new HashMap<>();
        meta.put("target", Map.of("color", "red", "category", "mug"));
        meta.put("distractors", List.of());
        assertNull(TitleCue.of(new MmpsRecord("test", 1, "x", Path.of("x.jpg"), Path.of("x.png"), "t", meta)));
    }
}
