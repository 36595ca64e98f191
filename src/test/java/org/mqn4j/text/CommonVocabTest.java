package org.mqn4j.text;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.Vocabulary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommonVocabTest {
    static final WordPieceVocab V = WordPieceVocab.commonVocab();
    static final BertTokenizer T = BertTokenizer.builder().vocab(V).build();

    @Test
    void subsetOfTheDefaultWithTheSameSpecialIds() {
        WordPieceVocab d = WordPieceVocab.defaultVocab();
        for (String s : List.of(WordPieceVocab.PAD, WordPieceVocab.UNK, WordPieceVocab.CLS, WordPieceVocab.SEP, WordPieceVocab.MASK)) {
            assertEquals(d.id(s), V.id(s), s);
        }
        assertEquals("[unused99]", V.token(99));
        assertEquals(V.size(), new HashSet<>(V.tokens()).size(), "no duplicates");
        // order kept: the common list is the default list with tokens left out
        List<String> kept = new ArrayList<>(d.tokens());
        kept.retainAll(new HashSet<>(V.tokens()));
        assertEquals(kept, V.tokens());
        assertEquals(3755, CommonVocab.gb2312Level1().cardinality(), "GB 2312 level 1 has 3,755 hanzi");
    }

    /** Regression pin: a trained model's embedding rows follow these ids. */
    @Test
    void generatedListIsStable() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(String.join("\n", V.tokens()).getBytes(StandardCharsets.UTF_8));
        assertEquals(4581, V.size());
        assertEquals(PIN, HexFormat.of().formatHex(md.digest()), "the common vocabulary changed: ids of trained models would shift");
    }

    static final String PIN = "03b8d61addaeaa61940a215fc7366d4e55bd27fc9bc08188c5ab2de9450dedc5";

    @Test
    void syntheticWorldAndEverydayTitlesHaveNoUnknown() {
        Vocabulary vocab = Vocabulary.standard();
        List<String> texts = new ArrayList<>();
        vocab.colours().forEach(c -> { texts.add(c.zh()); texts.add(c.en()); });
        vocab.categories().forEach(c -> { texts.add(c.zh()); texts.add(c.en()); });
        texts.addAll(vocab.noiseWords());
        texts.addAll(vocab.brands());
        texts.addAll(vocab.giftItems());
        texts.add("【包邮】京选 红色马克杯 大容量 送蓝色杯垫（2025新款）500ml XL码");
        for (String s : texts) {
            assertFalse(T.tokenize(s).contains(WordPieceVocab.UNK), s + " -> " + T.tokenize(s));
        }
        // rare characters (outside GB 2312 level 1) and other scripts become [UNK]
        assertEquals(List.of(WordPieceVocab.UNK), T.tokenize("龘"));
        assertEquals(List.of(WordPieceVocab.UNK), T.tokenize("ж"));
        assertTrue(V.size() < WordPieceVocab.defaultVocab().size() / 5);
    }
}
