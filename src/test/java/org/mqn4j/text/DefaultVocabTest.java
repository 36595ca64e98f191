package org.mqn4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultVocabTest {
    static final WordPieceVocab V = WordPieceVocab.defaultVocab();
    static final BertTokenizer T = BertTokenizer.withDefaultVocab();

    @Test
    void bertChineseLayout() {
        assertEquals(0, V.padId());
        assertEquals("[unused1]", V.token(1));
        assertEquals("[unused99]", V.token(99));
        assertEquals(100, V.unkId());
        assertEquals(101, V.clsId());
        assertEquals(102, V.sepId());
        assertEquals(103, V.maskId());
        assertEquals(104, V.id("!"));   // first ASCII punctuation right after the specials
        assertEquals(V.size(), new HashSet<>(V.tokens()).size(), "no duplicate tokens");
        for (int cp = 0x4E00; cp <= 0x9FFF; cp++) {
            assertTrue(V.contains(String.valueOf((char) cp)), Integer.toHexString(cp));
        }
    }

    /**
     * A regression pin, not a correctness check: a trained model's embedding rows follow these ids,
     * so any change to the generated list (or a JDK whose Unicode data changes it) must be noticed.
     */
    @Test
    void generatedListIsStable() throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(String.join("\n", V.tokens()).getBytes(StandardCharsets.UTF_8));
        String sha = HexFormat.of().formatHex(md.digest());
        String why = "the generated default vocabulary changed (code or the JDK's Unicode data): ids of models "
                + "trained with it would shift; if intended, update the pin and say so";
        assertEquals(25259, V.size(), why);
        assertEquals("a17be923883247cc6b5daf703e15cc193c71e9f42bf0f6104e96a58ccc4618ff", sha, why);
    }

    @Test
    void everySingleCharacterTokenIsReachable() {
        // A single-character token must come out of the tokenizer as itself: it survives cleaning,
        // lower-casing and accent stripping (otherwise it would be a dead embedding row).
        int checked = 0;
        for (String t : V.tokens()) {
            if (t.codePointCount(0, t.length()) == 1) {
                assertEquals(List.of(t), T.tokenize(t), "U+" + Integer.toHexString(t.codePointAt(0)));
                checked++;
            }
        }
        assertTrue(checked > 21_000, "checked " + checked);
    }

    @Test
    void syntheticVocabularyHasNoUnknownCharacter() throws IOException {
        JsonNode root;
        try (InputStream in = DefaultVocabTest.class.getResourceAsStream("/org/mqn4j/vocabulary.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<String> texts = new ArrayList<>();
        for (String key : List.of("colors", "categories")) {
            for (JsonNode n : root.get(key)) {
                texts.add(n.get("zh").asText());
                String en = n.get("en").asText();
                texts.add(en);
                // every English colour/category word is a whole token (t-shirt splits at '-')
                for (String word : en.split("-")) {
                    assertTrue(V.contains(word), word);
                }
            }
        }
        for (String key : List.of("noise_words", "brands", "gift_items")) {
            root.get(key).forEach(n -> texts.add(n.asText()));
        }
        assertTrue(texts.size() > 60);
        for (String s : texts) {
            List<String> pieces = T.tokenize(s);
            assertFalse(pieces.isEmpty(), s);
            assertFalse(pieces.contains(WordPieceVocab.UNK), s + " -> " + pieces);
        }
        assertEquals(List.of("t", "恤"), T.tokenize("T恤"));
        assertEquals(List.of("2025", "年"), T.tokenize("2025年"));
    }

    @Test
    void noAsciiTextIsEverUnknown() {
        // Every ASCII letter and digit exists as a word start and as a "##" continuation, and every
        // ASCII symbol as punctuation, so printable ASCII never yields [UNK].
        Random rnd = new Random(11);
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(60);
            for (int i = 0; i < len; i++) {
                sb.append((char) (32 + rnd.nextInt(95)));
            }
            String s = sb.toString();
            if (s.contains("[UNK]")) {
                continue;
            }
            assertFalse(T.tokenize(s).contains(WordPieceVocab.UNK), s);
        }
        assertEquals(List.of("50", "##0", "##ml"), T.tokenize("500ml"));
        assertEquals(List.of("cafe"), List.of(String.join("", T.tokenize("Café")).replace("##", "")));
    }

    @Test
    void fullWidthAndCjkPunctuationAreKnown() {
        for (String s : List.of("，", "。", "！", "【", "】", "《", "》", "、", "ａ", "０", "￥", "★", "①", "…", "—", "·")) {
            assertEquals(List.of(s), T.tokenize(s), s);
        }
        assertEquals(List.of("[UNK]"), T.tokenize("😀"));
        assertEquals(List.of("[UNK]"), T.tokenize("\u3400"));   // CJK Extension A is not included
    }
}
