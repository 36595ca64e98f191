package org.mqn4j.text;

import org.junit.jupiter.api.Test;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties that must hold for any input: encoding never throws, has the fixed length, starts
 * with [CLS], has one [SEP] where the mask ends, and no visible character is silently dropped.
 */
class BertTokenizerPropertyTest {

    /** Code point pools: [from, to] inclusive; a lone surrogate is appended as a bare char. */
    private static final int[][] POOLS = {
            {0x00, 0x7F}, {0x4E00, 0x9FFF}, {0x80, 0x24F}, {0x300, 0x36F}, {0xD800, 0xDFFF},
            {0x1F300, 0x1F6FF}, {0x20000, 0x2A6DF}, {0xFF00, 0xFFEF}, {0x0, 0x10FFFF}, {0xAC00, 0xD7A3},
            {0x370, 0x4FF}, {0x2000, 0x206F}, {0x3000, 0x30FF}, {0xF900, 0xFAFF}, {0xE000, 0xE0FF},
    };
    private static final String[] SPACES = {" ", "\t", "\n", "\r\n", "\u3000", "\u00A0", "\u2028", "\u200B",
            "\u0000", "\u0301", "\uD800", "\uDFFF", "\uFEFF"};

    static String randomText(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(4) == 0 ? rnd.nextInt(400) : rnd.nextInt(40);
        int pools = 1 + rnd.nextInt(3);
        int[] chosen = new int[pools];
        for (int i = 0; i < pools; i++) {
            chosen[i] = rnd.nextInt(POOLS.length);
        }
        for (int i = 0; i < len; i++) {
            int[] pool = POOLS[chosen[rnd.nextInt(pools)]];
            int cp = pool[0] + rnd.nextInt(pool[1] - pool[0] + 1);
            if (rnd.nextInt(8) == 0) {
                sb.append(SPACES[rnd.nextInt(SPACES.length)]);
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                sb.append((char) cp);
            } else {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    @Test
    void encodeInvariantsHoldForRandomText() {
        Random rnd = new Random(20261127);
        BertTokenizer[] tokenizers = {
                BertTokenizer.withDefaultVocab(),
                BertTokenizer.builder().vocab(BertTokenizerTest.V).maxLength(8).build(),
        };
        int unkSeen = 0;
        int truncatedSeen = 0;
        for (int n = 0; n < 3000; n++) {
            String s = randomText(rnd);
            for (BertTokenizer t : tokenizers) {
                Encoding e = t.encode(s);
                checkEncoding(t, s, e);
                unkSeen += e.tokens().contains(WordPieceVocab.UNK) ? 1 : 0;
                truncatedSeen += e.truncated() ? 1 : 0;
            }
        }
        assertTrue(unkSeen > 100 && truncatedSeen > 100, "the generator exercises [UNK] and truncation: "
                + unkSeen + ", " + truncatedSeen);
    }

    private static void checkEncoding(BertTokenizer t, String s, Encoding e) {
        WordPieceVocab v = t.vocab();
        int len = t.maxLength();
        String where = "input " + escape(s);
        assertEquals(len, e.ids().length, where);
        assertEquals(len, e.attentionMask().length, where);
        assertEquals(len, e.tokenTypeIds().length, where);
        assertEquals(v.clsId(), e.ids()[0], where);
        boolean hasSpecial = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]").stream().anyMatch(s::contains);
        if (hasSpecial) {
            return;
        }
        int seps = 0;
        for (int i = 0; i < len; i++) {
            seps += e.ids()[i] == v.sepId() ? 1 : 0;
            assertEquals(i < e.length() ? 1 : 0, e.attentionMask()[i], where);
            assertEquals(0, e.tokenTypeIds()[i], where);
            assertTrue(e.ids()[i] >= 0 && e.ids()[i] < v.size(), where);
            if (i >= e.length()) {
                assertEquals(v.padId(), e.ids()[i], where);
            }
        }
        assertEquals(1, seps, where);
        assertEquals(v.sepId(), e.ids()[e.length() - 1], where);

        List<String> pieces = t.tokenize(s);
        assertEquals(Math.min(pieces.size(), len - 2) + 2, e.length(), where);
        assertEquals(pieces.size() > len - 2, e.truncated(), where);
        for (int i = 1; i < e.length() - 1; i++) {
            assertEquals(v.idOrUnk(pieces.get(i - 1)), e.ids()[i], where);
        }
        assertTrue(pieces.size() >= visibleUnits(s), where + " gave " + pieces);
        // upper bound: every piece covers at least one code point of the lower-cased NFD text
        String norm = Normalizer.normalize(s.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD);
        int normalisedLength = norm.codePointCount(0, norm.length());
        assertTrue(pieces.size() <= normalisedLength, where);
    }

    /**
     * A lower bound on the pieces, counted without the tokenizer: every CJK ideograph and every
     * punctuation character gives exactly one piece; every word (a run between whitespace, CJK and
     * punctuation; removed characters do not split it) that holds a visible character gives at
     * least one. Removed: U+0000, U+FFFD and categories C* except \t \n \r. Visible: anything
     * else whose NFD is not made of non-spacing marks only (letters, digits, symbols, emoji …).
     */
    static int visibleUnits(String s) {
        int units = 0;
        boolean runHasVisible = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean removed = cp == 0 || cp == 0xFFFD || (cp != '\t' && cp != '\n' && cp != '\r'
                    && (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED));
            if (removed) {
                continue;
            }
            boolean space = Character.isWhitespace(cp) || type == Character.SPACE_SEPARATOR
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            boolean single = BasicTokenizer.isChineseChar(cp) || BasicTokenizer.isPunctuation(cp);
            if (space || single) {
                units += runHasVisible ? 1 : 0;
                runHasVisible = false;
                units += single ? 1 : 0;
            } else if (Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD).codePoints()
                    .anyMatch(c -> Character.getType(c) != Character.NON_SPACING_MARK)) {
                runHasVisible = true;
            }
        }
        return units + (runHasVisible ? 1 : 0);
    }

    @Test
    void everyCjkCharacterIsExactlyOneToken() {
        Random rnd = new Random(5);
        BertTokenizer t = BertTokenizer.withDefaultVocab();
        for (int n = 0; n < 2000; n++) {
            List<String> expected = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(150);
            for (int i = 0; i < len; i++) {
                if (rnd.nextInt(4) == 0) {
                    sb.append(SPACES[rnd.nextInt(SPACES.length)]);
                }
                String c = String.valueOf((char) (0x4E00 + rnd.nextInt(0x9FFF - 0x4E00 + 1)));
                expected.add(c);
                sb.append(c);
            }
            String s = sb.toString();
            assertEquals(expected, t.tokenize(s), escape(s));
            Encoding e = t.encode(s);
            int kept = Math.min(expected.size(), 62);
            assertEquals(kept + 2, e.length());
            assertEquals(expected.subList(0, kept), e.tokens().subList(1, kept + 1));
        }
    }

    @Test
    void visibleUnitsCountsWhatItShould() {
        // the bound itself, checked on hand-counted strings
        assertEquals(0, visibleUnits(""));
        assertEquals(3, visibleUnits("红色,"));
        assertEquals(1, visibleUnits("a\u200Bb\u0301"));
        assertEquals(5, visibleUnits("ab 😀 c.d"));   // ab, 😀, c, ".", d
        assertEquals(1, visibleUnits("😀a😀"));
        assertEquals(1, visibleUnits("é \u0301\uFE0F"));  // the lone marks are stripped to nothing
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().limit(80).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(String.format("\\u{%X}", cp));
            }
        });
        return sb.append(s.codePointCount(0, s.length()) > 80 ? "…\"" : "\"").toString();
    }
}
