package org.mqn4j.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetAttributesTest {
    static final Vocabulary V = Vocabulary.standard();

    static MmpsRecord record(Map<String, Object> meta) {
        return new MmpsRecord("train", 1, "x", Path.of("i.png"), Path.of("m.png"), "t", meta);
    }

    @Test
    void classesFollowTheVocabularyAndTheNamedAttributes() {
        int red = V.colours().indexOf(V.colour("red"));
        int mug = V.categories().indexOf(V.category("mug"));
        Map<String, Object> target = Map.of("color", "red", "category", "mug");
        assertEquals(new TargetAttributes(red, mug),
                TargetAttributes.of(record(Map.of("target", target, "title_names", List.of("color", "category"))), V));
        // a title that names only the colour: the category class is "not named" (= the count)
        assertEquals(new TargetAttributes(red, V.categories().size()),
                TargetAttributes.of(record(Map.of("target", target, "title_names", List.of("color"))), V));
        assertEquals(new TargetAttributes(V.colours().size(), mug),
                TargetAttributes.of(record(Map.of("target", target, "title_names", List.of("category"))), V));
        // no title_names: both assumed named
        assertEquals(new TargetAttributes(red, mug), TargetAttributes.of(record(Map.of("target", target)), V));
        // no metadata, or values outside the vocabulary: unknown
        assertEquals(new TargetAttributes(-1, -1), TargetAttributes.of(record(Map.of()), V));
        assertEquals(new TargetAttributes(-1, mug),
                TargetAttributes.of(record(Map.of("target", Map.of("color", "mauve", "category", "mug"))), V));
    }

    @Test
    void shownAttributesIgnoreWhatTheTitleNames() {
        int red = V.colours().indexOf(V.colour("red"));
        int mug = V.categories().indexOf(V.category("mug"));
        Map<String, Object> target = Map.of("color", "red", "category", "mug");
        assertEquals(new TargetAttributes(red, mug),
                TargetAttributes.shown(record(Map.of("target", target, "title_names", List.of("color"))), V));
        assertEquals(new TargetAttributes(-1, -1), TargetAttributes.shown(record(Map.of()), V));
        assertEquals(new TargetAttributes(-1, mug),
                TargetAttributes.shown(record(Map.of("target", Map.of("color", "mauve", "category", "mug"))), V));
    }
}
