package org.mqn4j.eval;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.MmpsRecord;
import org.mqn4j.text.BertTokenizer;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The naming-token labels against positions counted by hand. */
class NamingTokensTest {
    final BertTokenizer tok = BertTokenizer.withDefaultVocab();

    @Test
    void marksEveryOccurrenceOfTheTargetsColourAndCategoryWords() {
        // [CLS] 杯 子 紫 色 款 送 粉 色 杯 垫 杯 子 [SEP]
        float[] y = label("杯子紫色款送粉色杯垫杯子", List.of("color", "category"));
        float[] expected = new float[64];
        for (int i : new int[]{1, 2, 3, 4, 11, 12}) {
            expected[i] = 1;
        }
        assertArrayEquals(expected, y);
    }

    @Test
    void theColourWordAloneWhenAskedForItsKind() {
        String title = "杯子紫色款送粉色杯垫杯子";
        MmpsRecord r = record(title, Map.of("target", Map.of("color_zh", "紫色", "category_zh", "杯子"),
                "title_names", List.of("color", "category")));
        float[] colour = NamingTokens.of(r, tok.encode(title).ids(), tok, List.of("color"));
        float[] expected = new float[64];
        expected[3] = expected[4] = 1;
        assertArrayEquals(expected, colour);
        // a title that does not name the colour has no colour characters
        MmpsRecord categoryOnly = record("杯子", Map.of("target", Map.of("color_zh", "紫色", "category_zh", "杯子"),
                "title_names", List.of("category")));
        assertEquals(0f, sum(NamingTokens.of(categoryOnly, tok.encode("杯子").ids(), tok, List.of("color"))));
        assertThrows(IllegalArgumentException.class,
                () -> NamingTokens.of(r, tok.encode(title).ids(), tok, List.of("colour")));
    }

    @Test
    void aWordTheTitleDoesNotNameIsNotMarked() {
        float[] y = label("紫色 杯子", List.of("color"));
        float[] expected = new float[64];
        expected[1] = expected[2] = 1;
        assertArrayEquals(expected, y);
    }

    @Test
    void aRecordWithoutMetadataMarksNothing() {
        MmpsRecord r = record("紫色杯子", Map.of());
        assertEquals(0f, sum(NamingTokens.of(r, tok.encode(r.title()).ids(), tok)));
    }

    private float[] label(String title, List<String> names) {
        MmpsRecord r = record(title, Map.of("target", Map.of("color", "purple", "category", "mug", "color_zh", "紫色",
                "category_zh", "杯子"), "title_names", names));
        return NamingTokens.of(r, tok.encode(title).ids(), tok);
    }

    private static MmpsRecord record(String title, Map<String, Object> meta) {
        return new MmpsRecord("train", 1, "x", java.nio.file.Path.of("images/x.png"), java.nio.file.Path.of("masks/x.png"), title, meta);
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
