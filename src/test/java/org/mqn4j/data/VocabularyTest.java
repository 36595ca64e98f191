package org.mqn4j.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    @Test
    void readsTheProjectVocabulary() {
        Vocabulary v = Vocabulary.standard();
        assertEquals(10, v.colours().size());
        assertEquals(8, v.categories().size());
        Vocabulary.Colour red = v.colour("red");
        assertEquals("红色", red.zh());
        assertEquals(0xD62728, red.rgb()); // [214, 39, 40] in vocabulary.json
        Vocabulary.Category mug = v.category("mug");
        assertEquals("杯子", mug.zh());
        assertEquals(15, mug.xs().length);
        assertEquals(0.1, mug.xs()[0]);
        assertEquals(0.95, mug.ys()[14]);
        assertEquals(30, v.noiseWords().size());
        assertEquals(List.of("杯垫", "挂件", "收纳袋", "贴纸", "钥匙扣", "礼品卡"), v.giftItems());
    }

    @Test
    void wordsAreDistinctAndPolygonsInTheUnitSquare() {
        Vocabulary v = Vocabulary.standard();
        Set<String> words = new HashSet<>();
        for (Vocabulary.Colour c : v.colours()) {
            assertTrue(words.add(c.zh()));
        }
        for (Vocabulary.Category c : v.categories()) {
            assertTrue(words.add(c.zh()));
            for (int i = 0; i < c.xs().length; i++) {
                assertTrue(c.xs()[i] >= 0 && c.xs()[i] <= 1 && c.ys()[i] >= 0 && c.ys()[i] <= 1, c.en());
            }
        }
        // No word contains another: a substring search finds exactly the word meant.
        for (String a : words) {
            for (String b : words) {
                assertFalse(!a.equals(b) && a.contains(b), a + " contains " + b);
            }
        }
    }

    @Test
    void arraysCannotBeChangedFromOutside() {
        Vocabulary.Category box = Vocabulary.standard().category("box");
        box.xs()[0] = 42;
        assertEquals(0.0, box.xs()[0]);
    }

    @Test
    void badDocumentNamesTheProblem() {
        String json = "{\"colors\": [], \"categories\": []}";
        var e = assertThrows(org.mqn4j.util.MqnException.class, () -> Vocabulary.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json"));
        assertTrue(e.getMessage().startsWith("test.json: invalid vocabulary"), e.getMessage());
    }
}
