package org.mqn4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares with tools/bert_tokenizer_reference.py: HF's BertTokenizer algorithm run by Python
 * itself, so Python's str.lower(), str.split(), unicodedata categories and NFD decide each
 * character. Random texts over version-stable Unicode blocks (lone surrogates, controls, marks,
 * emoji, full-width forms, Hangul, special tokens …), and the hand-checked texts of
 * {@link BertTokenizerTest}.
 */
class BertTokenizerReferenceTest {

    static JsonNode fixture() throws IOException {
        try (InputStream in = BertTokenizerReferenceTest.class.getResourceAsStream("bert-tokenizer-reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int check(JsonNode vocab, JsonNode cases) {
        BertTokenizer t = BertTokenizer.builder().vocab(WordPieceVocab.of(strings(vocab), "fixture")).build();
        int pieces = 0;
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            List<String> expected = strings(c.get("tokens"));
            assertEquals(expected, t.tokenize(text), () -> "text " + text.codePoints()
                    .mapToObj(cp -> String.format("U+%04X", cp)).toList());
            pieces += expected.size();
        }
        return pieces;
    }

    @Test
    void randomTextsMatchThePythonReference() throws IOException {
        JsonNode f = fixture();
        assertTrue(f.get("cases").size() >= 300);
        int pieces = check(f.get("vocab"), f.get("cases"));
        assertTrue(pieces > 2000, "pieces " + pieces);
    }

    @Test
    void handCheckedTextsMatchThePythonReference() throws IOException {
        JsonNode f = fixture();
        assertEquals(BertTokenizerTest.VOCAB, strings(f.get("hand_vocab")));
        assertTrue(f.get("hand_cases").size() >= 40);
        check(f.get("hand_vocab"), f.get("hand_cases"));
    }
}
