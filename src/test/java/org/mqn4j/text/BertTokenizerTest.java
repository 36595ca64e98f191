package org.mqn4j.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-derived expectations of HuggingFace BertTokenizer (do_lower_case=True,
 * tokenize_chinese_chars=True, strip_accents=None) over the small vocabulary {@link #VOCAB}.
 * Each expected list follows from the algorithm: clean (drop C*, whitespace→space), space around
 * CJK ideographs, split on whitespace, lower-case + NFD + drop Mn, split off punctuation, then
 * greedy longest-match WordPiece with "##" continuations (a word that cannot be covered → one [UNK]).
 */
class BertTokenizerTest {

    static final List<String> VOCAB = List.of(
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "红", "色", "马", "克", "杯", "大", "容", "量", "送", "蓝", "垫", "包", "邮", "京", "选", "年", "恤",
            "【", "】", "，", "。", "！", ",", ".", "!", "-", "[", "]",
            "2", "20", "##2", "##0", "##5", "5", "50", "500", "ml", "##ml",
            "red", "mug", "t", "shirt", "cafe", "un", "##aff", "##able", "play", "##ing", "hello", "world",
            "ａ", "##ｂ", "##ｃ", "σ", "##α", "##σ", "a", "##a", "i", "##s", "e", "sep", "cls");

    static final WordPieceVocab V = WordPieceVocab.of(VOCAB, "test-vocab");
    static final BertTokenizer T = BertTokenizer.builder().vocab(V).maxLength(16).build();

    static List<String> tok(String s) {
        return T.tokenize(s);
    }

    @Test
    void chineseCharactersAreOneTokenEach() {
        assertEquals(List.of("红", "色", "马", "克", "杯"), tok("红色马克杯"));
    }

    @Test
    void mixedProductTitle() {
        // 【 (Ps) and 】 (Pe) are punctuation; spaces only separate; every ideograph is its own word.
        assertEquals(List.of("【", "包", "邮", "】", "京", "选", "红", "色", "马", "克", "杯", "大", "容", "量",
                        "送", "蓝", "色", "杯", "垫"),
                tok("【包邮】京选 红色马克杯 大容量 送蓝色杯垫"));
    }

    @Test
    void englishIsLowerCasedAndSplitIntoWordPieces() {
        // "unaffable": longest prefix in vocab is "un"; then "##aff" (no "##affa…"), then "##able".
        assertEquals(List.of("un", "##aff", "##able", "play", "##ing"), tok("Unaffable PLAYING"));
        assertEquals(List.of("hello", ",", "world", "!"), tok("Hello,world!"));
        assertEquals(List.of("red", "t", "-", "shirt"), tok("RED T-Shirt"));
    }

    @Test
    void digitsFollowGreedyLongestMatch() {
        // "2025": "2025","202" absent → "20"; "##25" absent → "##2"; then "##5". 年 is an ideograph.
        assertEquals(List.of("20", "##2", "##5", "年"), tok("2025年"));
        // "500ml": "500ml","500m" absent → "500"; rest "ml" → "##ml".
        assertEquals(List.of("500", "##ml"), tok("500ml"));
        assertEquals(List.of("500", "##ml"), tok("500ML"));
        // "5000ml": "500", then "##0ml","##0m" absent → "##0", then "##ml".
        assertEquals(List.of("500", "##0", "##ml"), tok("5000ml"));
    }

    @Test
    void aWordThatCannotBeCoveredIsOneUnk() {
        // "5℃": ℃ is So (not punctuation) so "5℃" is one word; "5" matches but "##℃" does not → the
        // whole word is [UNK], not ["5", "[UNK]"].
        assertEquals(List.of("[UNK]"), tok("5℃"));
        // "a.b": '.' splits; "b" is not in the vocabulary → [UNK]; nothing is dropped.
        assertEquals(List.of("a", ".", "[UNK]"), tok("a.B"));
        // "redmug": "red" then "##mug" absent, "##m…" absent → whole word [UNK].
        assertEquals(List.of("[UNK]"), tok("redmug"));
    }

    @Test
    void asciiSymbolsArePunctuationEvenIfNotCategoryP() {
        // '$' (Sc), '^' (Sk), '`' (Sk) are ASCII 33–47/91–96 → split off; not in vocab → [UNK] each.
        assertEquals(List.of("[UNK]", "a", "[UNK]", "a", "[UNK]"), tok("$a^a`"));
    }

    @Test
    void fullWidthFormsAreLowerCasedNotNfkcNormalised() {
        // ＡＢＣ (U+FF21..) lower-cases to ａｂｃ (U+FF41..); NFD leaves them (compatibility only).
        assertEquals(List.of("ａ", "##ｂ", "##ｃ"), tok("ＡＢＣ"));
        // Full-width ，。！ are category Po → split off.
        assertEquals(List.of("红", "，", "色", "。", "杯", "！"), tok("红，色。杯！"));
        // Full-width digits (Nd) are not ASCII digits: "２０" is one word, absent → [UNK].
        assertEquals(List.of("[UNK]"), tok("２０"));
        // U+3000 ideographic space is Zs → whitespace.
        assertEquals(List.of("红", "杯"), tok("红\u3000杯"));
    }

    @Test
    void accentsAreStripped() {
        assertEquals(List.of("cafe"), tok("Café"));            // é → e + U+0301 (Mn) → e
        assertEquals(List.of("cafe"), tok("Cafe\u0301"));      // already decomposed
        assertEquals(List.of("i"), tok("\u0130"));             // İ lower → i + U+0307 → i
    }

    @Test
    void lowerCasingIsPerCodePointLikePython() {
        // HF lower-cases one character at a time, so no final sigma: ΣΑΣ → σασ (Java's
        // String.toLowerCase would give σας, and "##ς" is not in the vocabulary).
        assertEquals(List.of("σ", "##α", "##σ"), tok("ΣΑΣ"));
    }

    @Test
    void emojiAreUnkAndOneUnitEach() {
        // 😀 U+1F600 (So, supplementary): its own word between two ideographs → one [UNK].
        assertEquals(List.of("红", "[UNK]", "杯"), tok("红😀杯"));
        // Glued to a word it makes the word uncoverable: "mug😀" → [UNK].
        assertEquals(List.of("[UNK]"), tok("mug😀"));
        // ❤️ = U+2764 + U+FE0F (variation selector, Mn → stripped); ❤ absent → [UNK].
        assertEquals(List.of("[UNK]"), tok("❤️"));
        // A supplementary ideograph (U+20000, CJK Extension B) is one unit → exactly one [UNK].
        assertEquals(List.of("红", "[UNK]", "色"), tok("红\uD840\uDC00色"));
    }

    @Test
    void controlAndFormatCharactersAreRemoved() {
        // NUL, BEL (Cc), U+200B (Cf), U+FFFD are removed without splitting; \t \n \r\n split.
        assertEquals(List.of("红", "色", "杯", "垫"), tok("红\u0000色\u0007杯\u200B垫\uFFFD"));
        assertEquals(List.of("[UNK]"), tok("red\u200Bmug"));          // → "redmug", uncoverable
        assertEquals(List.of("red", "mug", "mug", "red"), tok("red\tmug\nmug\r\nred"));
        assertEquals(List.of("red", "mug"), tok("red\u2028mug"));    // Python's split() splits on U+2028
        assertEquals(List.of("[UNK]"), tok("red\u0085mug"));          // NEL is Cc → removed
        assertEquals(List.of("red"), tok("red\uE000"));               // private use (Co) → removed
    }

    @Test
    void combiningMarksAreStrippedAfterNfd() {
        // A lone combining mark is a word that strips to nothing and disappears (as in HF).
        assertEquals(List.of("red", "mug"), tok("red \u0301 mug"));
        assertEquals(List.of("红"), tok("红\u0301"));
        // U+20DD combining enclosing circle is Me, not Mn → kept → [UNK].
        assertEquals(List.of("[UNK]"), tok("\u20DD"));
    }

    @Test
    void invalidSurrogatesAreRemovedNotThrown() {
        // A lone surrogate is a category-Cs code point, removed like other C* characters.
        assertEquals(List.of("红", "色"), tok("红\uD800色"));
        assertEquals(List.of("red"), tok("red\uDC00"));
        assertEquals(List.of(), tok("\uDC00\uD800"));
        assertEquals(2, T.encode("\uD800").length());
    }

    @Test
    void specialTokensInTheTextStayWhole() {
        // HF splits on special tokens (case-sensitive) before anything else.
        assertEquals(List.of("red", "[SEP]", "mug"), tok("red[SEP]mug"));
        assertEquals(List.of("[", "sep", "]"), tok("[sep]"));
        // A zero-width space inside breaks the match; HF lower-cases before cleaning → "[cls]".
        assertEquals(List.of("[", "cls", "]"), tok("[C\u200BLS]"));
        WordPieceVocab noMask = WordPieceVocab.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "red"), "no-mask");
        Encoding e = BertTokenizer.builder().vocab(noMask).maxLength(6).build().encode("[MASK] red");
        assertArrayEquals(new int[]{2, 1, 4, 3, 0, 0}, e.ids());
    }

    @Test
    void longWordsBecomeUnk() {
        // 100 code points: covered by "a" + 99 × "##a"; 101: over max_input_chars_per_word → [UNK].
        assertEquals(100, tok("a".repeat(100)).size());
        assertEquals(List.of("[UNK]"), tok("a".repeat(101)));
        // 100 emoji are 200 UTF-16 chars but 100 code points: within the limit, uncoverable → [UNK].
        assertEquals(List.of("[UNK]"), tok("😀".repeat(100)));
    }

    @Test
    void encodePadsWithClsSepAndMask() {
        Encoding e = BertTokenizer.builder().vocab(V).maxLength(6).build().encode("红色");
        assertArrayEquals(new int[]{2, 5, 6, 3, 0, 0}, e.ids());
        assertArrayEquals(new int[]{1, 1, 1, 1, 0, 0}, e.attentionMask());
        assertArrayEquals(new int[6], e.tokenTypeIds());
        assertEquals(List.of("[CLS]", "红", "色", "[SEP]", "[PAD]", "[PAD]"), e.tokens());
        assertEquals(4, e.length());
        assertFalse(e.truncated());
        assertArrayEquals(new long[]{2, 5, 6, 3, 0, 0}, e.idsAsLong());
    }

    @Test
    void emptyAndNullTitlesAreClsSep() {
        for (String s : new String[]{"", null, "   ", "\u0000\u200B"}) {
            Encoding e = T.encode(s);
            assertEquals(16, e.ids().length);
            assertEquals(2, e.ids()[0]);
            assertEquals(3, e.ids()[1]);
            assertEquals(2, e.length());
            for (int i = 2; i < 16; i++) {
                assertEquals(0, e.ids()[i]);
                assertEquals(0, e.attentionMask()[i]);
            }
        }
    }

    @Test
    void aTenThousandCharacterTitleIsTruncatedWithSepLast() {
        Encoding e = T.encode("红".repeat(10_000));
        assertTrue(e.truncated());
        assertEquals(16, e.length());
        assertEquals(2, e.ids()[0]);
        for (int i = 1; i < 15; i++) {
            assertEquals(5, e.ids()[i]);
        }
        assertEquals(3, e.ids()[15]);
        // mixed text, default length 64 over the default vocabulary
        String longTitle = "红色Mug😀，".repeat(2000);
        Encoding d = BertTokenizer.withDefaultVocab().encode(longTitle);
        assertEquals(64, d.ids().length);
        assertEquals(64, d.length());
        assertEquals(WordPieceVocab.defaultVocab().sepId(), d.ids()[63]);
        // the truncated pieces are the first pieces of the full tokenization
        List<String> full = BertTokenizer.withDefaultVocab().tokenize(longTitle);
        assertEquals(full.subList(0, 62), d.tokens().subList(1, 63));
    }

    @Test
    void truncationBoundary() {
        BertTokenizer t4 = BertTokenizer.builder().vocab(V).maxLength(4).build();
        assertFalse(t4.encode("红色").truncated());     // exactly 2 pieces fit
        assertTrue(t4.encode("红色杯").truncated());
        assertArrayEquals(new int[]{2, 5, 6, 3}, t4.encode("红色杯").ids());
        assertArrayEquals(new int[]{2, 3}, BertTokenizer.builder().vocab(V).maxLength(2).build().encode("红").ids());
    }

    @Test
    void batchEncodingIsRowWise() {
        EncodedBatch b = T.encode(List.of("红色", "", "mug"));
        assertEquals(3, b.batchSize());
        assertEquals(16, b.length());
        assertArrayEquals(T.encode("红色").ids(), b.ids()[0]);
        assertArrayEquals(T.encode("").attentionMask(), b.attentionMask()[1]);
        assertEquals(T.encode("mug").ids()[1], (int) b.idsAsLong()[2][1]);
    }

    @Test
    void decodeGluesContinuationsLikeHf() {
        int[] ids = T.encode("Unaffable, 红色!").ids();
        assertEquals("unaffable, 红 色!", T.decode(ids, true));
        assertEquals("[CLS] unaffable, 红 色! [SEP] [PAD]", T.decode(java.util.Arrays.copyOf(ids, 10), false));
        assertEquals(List.of("[CLS]", "un", "##aff"), T.tokens(java.util.Arrays.copyOf(ids, 3)));
        assertEquals(List.of("[UNK]", "[UNK]"), T.tokens(new int[]{-1, 999}));
    }

    @Test
    void lowerCaseOffKeepsCaseAndAccents() {
        BertTokenizer cased = BertTokenizer.builder().vocab(WordPieceVocab.of(
                List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "Café", "ΣΑΣ"), "cased")).lowerCase(false).build();
        assertEquals(List.of("Café", "ΣΑΣ"), cased.tokenize("Café ΣΑΣ"));
        assertEquals(List.of("[UNK]"), cased.tokenize("café"));
        // newer HF applies NFC before splitting: a decomposed é matches the composed vocabulary entry
        assertEquals(List.of("Café"), cased.tokenize("Cafe\u0301"));
    }

    @Test
    void nothingVisibleIsDroppedInShuffledCjk() {
        List<String> chars = new ArrayList<>(List.of("红", "色", "马", "克", "杯", "大", "容", "量"));
        Collections.shuffle(chars, new java.util.Random(7));
        assertEquals(chars, tok(String.join(" \u200B\t", chars)));
    }
}
