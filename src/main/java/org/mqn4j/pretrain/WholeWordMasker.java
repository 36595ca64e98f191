package org.mqn4j.pretrain;

import org.mqn4j.text.BertTokenizer;
import org.mqn4j.text.WordPieceVocab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Whole-word masking for the masked language model: a title becomes {@code [CLS] pieces… [SEP] [PAD]…}
 * exactly as {@link BertTokenizer#encode} makes it, each piece knowing its word
 * ({@link WordSegmenter}); then {@code max(1, round(p · words))} of the words (p = 15%) are chosen,
 * and all pieces of a chosen word are predicted and replaced together: by [MASK] for 80% of chosen
 * words, by random tokens for 10%, kept for 10% (one draw per word, so a word is never half hidden).
 * Random tokens are drawn uniformly from the vocabulary without its bracketed special tokens;
 * [CLS], [SEP] and [PAD] are never chosen. A word cut by truncation counts with its kept pieces.
 */
public final class WholeWordMasker {
    /** Label of a position that is not predicted. */
    public static final int IGNORE = -1;

    /** A title's ids [T] and, per position, the index of its word (-1 for [CLS], [SEP], [PAD]). */
    public record Tokens(int[] ids, int[] wordOf, int length, int words) {
    }

    /**
     * A masked title: model input ids [T], the original id at predicted positions and {@link #IGNORE}
     * elsewhere, the attention mask [T].
     */
    public record Masked(int[] inputIds, int[] labels, int[] attentionMask) {
        /** Number of predicted positions. */
        public int predicted() {
            int n = 0;
            for (int l : labels) {
                if (l != IGNORE) {
                    n++;
                }
            }
            return n;
        }
    }

    private final BertTokenizer tokenizer;
    private final WordSegmenter segmenter;
    private final double wordProbability;
    private final int[] randomIds;

    /**
     * @param wordProbability fraction of a title's words to predict (0.15 in BERT)
     */
    public WholeWordMasker(BertTokenizer tokenizer, WordSegmenter segmenter, double wordProbability) {
        if (!(wordProbability > 0 && wordProbability <= 1)) {
            throw new IllegalArgumentException("mask probability must be in (0, 1], got " + wordProbability);
        }
        WordPieceVocab vocab = tokenizer.vocab();
        if (vocab.maskId() < 0) {
            throw new IllegalArgumentException("the vocabulary " + vocab.source() + " has no [MASK] token");
        }
        this.tokenizer = tokenizer;
        this.segmenter = segmenter;
        this.wordProbability = wordProbability;
        List<Integer> normal = new ArrayList<>();
        List<String> tokens = vocab.tokens();
        for (int id = 0; id < tokens.size(); id++) {
            String t = tokens.get(id);
            boolean bracketed = t.length() > 2 && t.startsWith("[") && t.endsWith("]");
            if (!bracketed && vocab.id(t) == id) {
                normal.add(id);
            }
        }
        this.randomIds = normal.stream().mapToInt(Integer::intValue).toArray();
    }

    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    public double wordProbability() {
        return wordProbability;
    }

    /** The title's ids and word indices (the ids equal {@code tokenizer.encode(title).ids()}). */
    public Tokens tokens(String title) {
        WordPieceVocab vocab = tokenizer.vocab();
        int t = tokenizer.maxLength();
        int[] ids = new int[t];
        int[] wordOf = new int[t];
        Arrays.fill(ids, vocab.padId());
        Arrays.fill(wordOf, -1);
        ids[0] = vocab.clsId();
        int pos = 1;
        int words = 0;
        int room = t - 1;   // [SEP] goes at index <= t-1
        outer:
        for (List<String> word : segmenter.segment(title)) {
            boolean any = false;
            for (String basicToken : word) {
                for (String piece : tokenizer.tokenize(basicToken)) {
                    if (pos >= room) {
                        if (any) {
                            words++;
                        }
                        break outer;
                    }
                    ids[pos] = vocab.idOrUnk(piece);
                    wordOf[pos] = words;
                    pos++;
                    any = true;
                }
            }
            if (any) {
                words++;
            }
        }
        ids[pos] = vocab.sepId();
        return new Tokens(ids, wordOf, pos + 1, words);
    }

    /** The title with no position masked or predicted (for the attribute and category heads). */
    public Masked unmasked(String title) {
        Tokens tk = tokens(title);
        int[] labels = new int[tk.ids().length];
        Arrays.fill(labels, IGNORE);
        return new Masked(tk.ids(), labels, attention(tk));
    }

    /** The title with whole words masked, drawn from {@code random}. */
    public Masked mask(String title, Random random) {
        Tokens tk = tokens(title);
        int[] input = tk.ids().clone();
        int[] labels = new int[input.length];
        Arrays.fill(labels, IGNORE);
        if (tk.words() > 0) {
            int k = Math.max(1, (int) Math.round(wordProbability * tk.words()));
            List<Integer> order = new ArrayList<>();
            for (int w = 0; w < tk.words(); w++) {
                order.add(w);
            }
            Collections.shuffle(order, random);
            boolean[] chosen = new boolean[tk.words()];
            int[] action = new int[tk.words()];   // 0 [MASK], 1 random, 2 keep
            for (int i = 0; i < k; i++) {
                int w = order.get(i);
                chosen[w] = true;
                double u = random.nextDouble();
                action[w] = u < 0.8 ? 0 : u < 0.9 ? 1 : 2;
            }
            int maskId = tokenizer.vocab().maskId();
            for (int p = 0; p < input.length; p++) {
                int w = tk.wordOf()[p];
                if (w < 0 || !chosen[w]) {
                    continue;
                }
                labels[p] = input[p];
                if (action[w] == 0) {
                    input[p] = maskId;
                } else if (action[w] == 1) {
                    input[p] = randomIds[random.nextInt(randomIds.length)];
                }
            }
        }
        return new Masked(input, labels, attention(tk));
    }

    private static int[] attention(Tokens tk) {
        int[] m = new int[tk.ids().length];
        Arrays.fill(m, 0, tk.length(), 1);
        return m;
    }
}
