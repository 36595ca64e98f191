package org.mqn4j.pretrain;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.WordPieceVocab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of whole-word masking over many synthetic titles. */
class WholeWordMaskerTest {
    static final int TITLES = 3000;
    static BertTokenizer tokenizer;
    static WholeWordMasker masker;
    static List<String> titles = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        tokenizer = BertTokenizer.builder().maxLength(64).build();
        masker = new WholeWordMasker(tokenizer, WordSegmenter.of(Vocabulary.standard(), null), 0.15);
        SyntheticTitleCorpus corpus = new SyntheticTitleCorpus(Vocabulary.standard(), 3);
        for (int i = 0; i < TITLES; i++) {
            titles.add(corpus.record(i).title());
        }
        titles.add("");
        titles.add("x".repeat(300));   // one [UNK] word
    }

    @Test
    void tokensAreTheTokenizersEncoding() {
        for (String t : titles) {
            assertArrayEquals(tokenizer.encode(t).ids(), masker.tokens(t).ids(), t);
        }
    }

    @Test
    void handComputedWords() {
        // [CLS] 红 色 杯 子 送 蓝 色 杯 垫 [SEP]: words 红色 | 杯子 | 送 | 蓝色 | 杯垫
        WholeWordMasker.Tokens tk = masker.tokens("红色杯子送蓝色杯垫");
        assertEquals(11, tk.length());
        assertEquals(5, tk.words());
        assertArrayEquals(new int[]{-1, 0, 0, 1, 1, 2, 3, 3, 4, 4, -1}, Arrays.copyOf(tk.wordOf(), 11));
        // 5 words: round(0.75) = 1 word chosen
        WholeWordMasker.Masked m = masker.mask("红色杯子送蓝色杯垫", new Random(0));
        int chosen = (int) Arrays.stream(m.labels()).filter(l -> l != WholeWordMasker.IGNORE).count();
        assertTrue(chosen == 1 || chosen == 2, "one word of one or two pieces");
    }

    @Test
    void wholeWordsRateAndReplacements() {
        WordPieceVocab vocab = tokenizer.vocab();
        Random r = new Random(42);
        long words = 0;
        long chosenWords = 0;
        long masked = 0;
        long random = 0;
        long kept = 0;
        for (String t : titles) {
            WholeWordMasker.Tokens tk = masker.tokens(t);
            WholeWordMasker.Masked m = masker.mask(t, r);
            int[] ids = tk.ids();
            // special positions are never predicted and never changed
            for (int p = 0; p < ids.length; p++) {
                if (tk.wordOf()[p] < 0) {
                    assertEquals(WholeWordMasker.IGNORE, m.labels()[p], "special position predicted in " + t);
                    assertEquals(ids[p], m.inputIds()[p]);
                }
            }
            int chosenHere = 0;
            for (int w = 0; w < tk.words(); w++) {
                int n = 0;
                int labelled = 0;
                int asMask = 0;
                int same = 0;
                for (int p = 0; p < ids.length; p++) {
                    if (tk.wordOf()[p] != w) {
                        continue;
                    }
                    n++;
                    if (m.labels()[p] != WholeWordMasker.IGNORE) {
                        labelled++;
                        assertEquals(ids[p], m.labels()[p], "the label is the original token");
                        asMask += m.inputIds()[p] == vocab.maskId() ? 1 : 0;
                        same += m.inputIds()[p] == ids[p] ? 1 : 0;
                        String tok = vocab.token(m.inputIds()[p]);
                        assertTrue(m.inputIds()[p] == vocab.maskId() || !(tok.startsWith("[") && tok.endsWith("]") && tok.length() > 2)
                                || m.inputIds()[p] == ids[p], "random replacement is never a special token: " + tok);
                    } else {
                        assertEquals(ids[p], m.inputIds()[p], "an unchosen piece is unchanged");
                    }
                }
                assertTrue(labelled == 0 || labelled == n, "word " + w + " of '" + t + "' partly masked");
                if (labelled > 0) {
                    chosenHere++;
                    if (asMask == n) {
                        masked++;
                    } else if (same == n) {
                        kept++;
                    } else {
                        assertEquals(0, asMask, "a randomly replaced word has no [MASK]");
                        random++;
                    }
                }
            }
            if (tk.words() > 0) {
                assertEquals(Math.max(1, Math.round(0.15 * tk.words())), chosenHere, t);
            }
            words += tk.words();
            chosenWords += chosenHere;
        }
        double rate = (double) chosenWords / words;
        double n = masked + random + kept;
        System.out.printf("words %d, chosen %.4f; [MASK] %.3f random %.3f kept %.3f%n", words, rate, masked / n, random / n, kept / n);
        assertEquals(0.15, rate, 0.01);
        assertEquals(0.8, masked / n, 0.02);
        assertEquals(0.1, random / n, 0.015);
        assertEquals(0.1, kept / n, 0.015);
    }
}
