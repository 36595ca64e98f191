package org.mqn4j.text;

import org.mqn4j.util.MqnException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * WordPiece tokenizer over a BERT {@code vocab.txt} that reproduces HuggingFace's (slow, Python)
 * {@code BertTokenizer} with {@code do_lower_case=True}, {@code tokenize_chinese_chars=True},
 * {@code strip_accents=None}: special tokens written in the text ([CLS], [SEP], [PAD], [UNK],
 * [MASK], case-sensitive) stay whole; the rest is lower-cased one code point at a time, goes
 * through {@link BasicTokenizer} (every CJK ideograph a word of its own, punctuation split off,
 * accents stripped) and then greedy longest-match-first WordPiece with "##" continuations; a word
 * of more than 100 code points, or one that cannot be split entirely, becomes one [UNK].
 * Characters missing from the vocabulary become [UNK], never dropped; characters HF removes
 * (categories C* except \t\n\r, U+FFFD, and combining marks after NFD) are removed here too.
 * No input makes it throw; {@code null} is the empty title.
 *
 * <p>Written rather than taken from DL4J: DL4J's {@code BertWordPieceTokenizerFactory} drops
 * characters missing from the vocabulary instead of emitting [UNK] and throws on a word it
 * cannot split.
 *
 * <p>{@link #encode(String)} gives model inputs of a fixed length: [CLS] pieces… [SEP] [PAD]…,
 * truncating the pieces so that [CLS] and [SEP] always remain. Immutable and thread-safe.
 */
public final class BertTokenizer {
    /** Default sequence length: Chinese titles run to 100 characters, 20 would cut target words. */
    public static final int DEFAULT_MAX_LENGTH = 64;
    /** HF {@code max_input_chars_per_word}: a longer word becomes a single [UNK]. */
    public static final int MAX_INPUT_CHARS_PER_WORD = 100;

    private static final List<String> SPECIAL_TOKENS = List.of(
            WordPieceVocab.UNK, WordPieceVocab.SEP, WordPieceVocab.PAD, WordPieceVocab.CLS, WordPieceVocab.MASK);

    private final WordPieceVocab vocab;
    private final int maxLength;
    private final boolean lowerCase;
    private final BasicTokenizer basic;

    private BertTokenizer(Builder b) {
        if (b.maxLength < 2) {
            throw new MqnException("tokenizer max length must be at least 2 ([CLS] and [SEP]), got " + b.maxLength);
        }
        this.vocab = b.vocab;
        this.maxLength = b.maxLength;
        this.lowerCase = b.lowerCase;
        this.basic = new BasicTokenizer(lowerCase, null, Set.copyOf(SPECIAL_TOKENS));
    }

    /** The tokenizer over the built-in vocabulary with length {@value #DEFAULT_MAX_LENGTH}. */
    public static BertTokenizer withDefaultVocab() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this tokenizer's settings. */
    public Builder toBuilder() {
        return new Builder().vocab(vocab).maxLength(maxLength).lowerCase(lowerCase);
    }

    public WordPieceVocab vocab() {
        return vocab;
    }

    public int maxLength() {
        return maxLength;
    }

    public boolean lowerCase() {
        return lowerCase;
    }

    /** HF {@code tokenize(text)}: the word pieces of a text, without [CLS]/[SEP]/padding. */
    public List<String> tokenize(String text) {
        return tokenize(text, Integer.MAX_VALUE);
    }

    /** The first {@code limit} word pieces (the same as the first pieces of the full list). */
    private List<String> tokenize(String text, int limit) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        int start = 0;
        int i = 0;
        while (i < text.length() && out.size() < limit) {
            String special = text.charAt(i) == '[' ? specialAt(text, i) : null;
            if (special == null) {
                i++;
                continue;
            }
            tokenizeSegment(text.substring(start, i), out, limit);
            if (out.size() < limit) {
                out.add(special);
            }
            i += special.length();
            start = i;
        }
        if (start < text.length()) {
            tokenizeSegment(text.substring(start), out, limit);
        }
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    private static String specialAt(String text, int i) {
        for (String s : SPECIAL_TOKENS) {
            if (text.startsWith(s, i)) {
                return s;
            }
        }
        return null;
    }

    /** HF {@code _tokenize} on text between special tokens (lower-cased first, as HF's tokenize does). */
    private void tokenizeSegment(String segment, List<String> out, int limit) {
        if (segment.isEmpty() || out.size() >= limit) {
            return;
        }
        String text = lowerCase ? BasicTokenizer.lowerCase(segment) : segment;
        for (String word : basic.tokenize(text)) {
            if (out.size() >= limit) {
                return;
            }
            wordPiece(word, out);
        }
    }

    /** HF {@code WordpieceTokenizer.tokenize} on one word: greedy longest match, "##" continuations. */
    private void wordPiece(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > MAX_INPUT_CHARS_PER_WORD) {
            out.add(WordPieceVocab.UNK);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int longest = vocab.maxTokenCodePoints();   // longer candidates cannot match: skip them
        int start = 0;
        while (start < cps.length) {
            String match = null;
            for (int end = Math.min(cps.length, start + longest); end > start; end--) {
                String sub = new String(cps, start, end - start);
                if (start > 0) {
                    sub = "##" + sub;
                }
                if (vocab.contains(sub)) {
                    match = sub;
                    start = end;
                    break;
                }
            }
            if (match == null) {
                out.add(WordPieceVocab.UNK);
                return;
            }
            pieces.add(match);
        }
        out.addAll(pieces);
    }

    /**
     * Model inputs for one title: exactly {@link #maxLength()} ids, [CLS] pieces… [SEP] [PAD]…,
     * attention mask 1 on [CLS]…[SEP] and 0 on padding, token type ids 0.
     */
    public Encoding encode(String title) {
        int room = maxLength - 2;
        List<String> pieces = tokenize(title, room + 1);
        boolean truncated = pieces.size() > room;
        if (truncated) {
            pieces = pieces.subList(0, room);
        }
        int[] ids = new int[maxLength];
        int[] mask = new int[maxLength];
        String[] tokens = new String[maxLength];
        Arrays.fill(ids, vocab.padId());
        Arrays.fill(tokens, WordPieceVocab.PAD);
        ids[0] = vocab.clsId();
        tokens[0] = WordPieceVocab.CLS;
        int t = 1;
        for (String piece : pieces) {
            int id = vocab.idOrUnk(piece);
            ids[t] = id;
            tokens[t] = id == vocab.unkId() ? WordPieceVocab.UNK : piece;
            t++;
        }
        ids[t] = vocab.sepId();
        tokens[t] = WordPieceVocab.SEP;
        t++;
        Arrays.fill(mask, 0, t, 1);
        return new Encoding(ids, mask, new int[maxLength], List.of(tokens), t, truncated);
    }

    /** Encodes titles into [B, maxLength] arrays. */
    public EncodedBatch encode(List<String> titles) {
        int[][] ids = new int[titles.size()][];
        int[][] mask = new int[titles.size()][];
        int[][] types = new int[titles.size()][];
        for (int b = 0; b < titles.size(); b++) {
            Encoding e = encode(titles.get(b));
            ids[b] = e.ids();
            mask[b] = e.attentionMask();
            types[b] = e.tokenTypeIds();
        }
        return new EncodedBatch(ids, mask, types, maxLength);
    }

    /** HF {@code convert_ids_to_tokens}: [UNK] for an unknown id. */
    public List<String> tokens(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(vocab.token(id));
        }
        return out;
    }

    /**
     * HF {@code decode}: tokens joined by spaces with "##" continuations glued on, then HF's
     * clean-up of spaces before punctuation and English contractions; special tokens
     * ([PAD], [UNK], [CLS], [SEP], [MASK]) dropped when {@code skipSpecialTokens}.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> kept = new ArrayList<>(ids.length);
        for (String t : tokens(ids)) {
            if (!(skipSpecialTokens && SPECIAL_TOKENS.contains(t))) {
                kept.add(t);
            }
        }
        String s = String.join(" ", kept).replace(" ##", "").strip();
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    /** Settings of a {@link BertTokenizer}; defaults: built-in vocabulary, length 64, lower-case. */
    public static final class Builder {
        private WordPieceVocab vocab = WordPieceVocab.defaultVocab();
        private int maxLength = DEFAULT_MAX_LENGTH;
        private boolean lowerCase = true;

        private Builder() {
        }

        public Builder vocab(WordPieceVocab vocab) {
            this.vocab = vocab;
            return this;
        }

        /** Sequence length including [CLS] and [SEP]; at least 2. */
        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** HF {@code do_lower_case} (accents are stripped exactly when lower-casing). */
        public Builder lowerCase(boolean lowerCase) {
            this.lowerCase = lowerCase;
            return this;
        }

        public BertTokenizer build() {
            return new BertTokenizer(this);
        }
    }
}
