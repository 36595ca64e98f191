package org.mqn4j.pretrain;

import org.mqn4j.data.Vocabulary;
import org.mqn4j.text.BasicTokenizer;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Dictionary word segmentation of product titles by forward maximum matching, on BERT's basic
 * tokens: the title is split as {@link BasicTokenizer} splits it (every CJK ideograph, Latin word and
 * punctuation mark a token, lower-cased), then from left to right the longest run of tokens that
 * spells a dictionary word becomes one word, and a token that starts no dictionary word is a word
 * of its own. Matching on basic tokens, not raw characters, keeps word boundaries aligned with
 * the tokenizer's ({@code Pro} in {@code Product} never matches). Immutable.
 */
public final class WordSegmenter {
    private static final String JOIN = " ";   // basic tokens never contain whitespace

    private final BasicTokenizer basic = new BasicTokenizer(true, null, Set.of());
    private final Set<String> words = new HashSet<>();
    private final int longest;

    /** A segmenter over the given dictionary words (any case; empty entries ignored). */
    public WordSegmenter(Collection<String> dictionary) {
        int max = 1;
        for (String w : dictionary) {
            List<String> tokens = basic.tokenize(w);
            if (tokens.size() > 1) {
                words.add(String.join(JOIN, tokens));
                max = Math.max(max, tokens.size());
            }
        }
        this.longest = max;
    }

    /**
     * The words of the synthetic vocabulary (colours, categories, noise words, brands, gift items)
     * plus those of a user dictionary, or none if {@code userDictionary} is null.
     */
    public static WordSegmenter of(Vocabulary vocab, Path userDictionary) {
        List<String> dict = new ArrayList<>();
        vocab.colours().forEach(c -> dict.add(c.zh()));
        vocab.categories().forEach(c -> dict.add(c.zh()));
        dict.addAll(vocab.noiseWords());
        dict.addAll(vocab.brands());
        dict.addAll(vocab.giftItems());
        if (userDictionary != null) {
            dict.addAll(readDictionary(userDictionary));
        }
        return new WordSegmenter(dict);
    }

    /**
     * A user dictionary: UTF-8, one word per line; only the first whitespace-separated field counts
     * (so jieba's {@code word freq tag} lines work); blank lines and lines starting with # are skipped.
     */
    public static List<String> readDictionary(Path file) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    out.add(s.split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new MqnException("cannot read user dictionary " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Number of multi-token words in the dictionary (single tokens are words anyway). */
    public int size() {
        return words.size();
    }

    /** The title's words, each the list of its basic tokens (lower-cased). */
    public List<List<String>> segment(String title) {
        List<String> tokens = basic.tokenize(title);
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            int len = 1;
            for (int n = Math.min(longest, tokens.size() - i); n > 1; n--) {
                if (words.contains(String.join(JOIN, tokens.subList(i, i + n)))) {
                    len = n;
                    break;
                }
            }
            out.add(List.copyOf(tokens.subList(i, i + len)));
            i += len;
        }
        return out;
    }
}
