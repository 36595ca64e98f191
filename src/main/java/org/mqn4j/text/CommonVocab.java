package org.mqn4j.text;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A smaller built-in vocabulary for models trained from scratch: {@link DefaultVocab} restricted to
 * tokens made only of printable ASCII, general and CJK punctuation, full-width forms and the 3,755
 * characters of GB 2312 level 1 (the common hanzi, which hold every character of the synthetic
 * vocabulary and of everyday product titles). Ids keep DefaultVocab's layout for the special
 * tokens ([PAD]=0, [unused1..99], [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103); other characters
 * become [UNK].
 *
 * <p>Why: a trainable word embedding is a one-hot matrix product (gather's gradient is broken in
 * M2.1), so its cost grows with the vocabulary; with 25,259 rows it was about a quarter of a tiny
 * MQN's training step. Pretrained checkpoints keep their own vocabulary ({@code vocab: default}
 * or a {@code vocab.txt}).
 */
public final class CommonVocab {
    private CommonVocab() {
    }

    /** The tokens, id order; deterministic (tests pin size and checksum). */
    public static List<String> tokens() {
        BitSet hanzi = gb2312Level1();
        List<String> out = new ArrayList<>();
        for (String t : DefaultVocab.tokens()) {
            if ((t.startsWith("[") && t.endsWith("]") && t.length() > 2 && t.chars().allMatch(c -> c < 0x80))
                    || allowed(t.startsWith("##") ? t.substring(2) : t, hanzi)) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean allowed(String s, BitSet hanzi) {
        if (s.isEmpty()) {
            return false;
        }
        return s.codePoints().allMatch(c -> (c >= 0x21 && c <= 0x7E) || (c >= 0x2010 && c <= 0x205E)
                || (c >= 0x3001 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E) || hanzi.get(c));
    }

    /** The 3,755 hanzi of GB 2312 level 1 (rows 0xB0–0xD7), via the JDK's GB2312 charset. */
    static BitSet gb2312Level1() {
        Charset gb = Charset.forName("GB2312");
        BitSet set = new BitSet(0xA000);
        for (int hi = 0xB0; hi <= 0xD7; hi++) {
            for (int lo = 0xA1; lo <= 0xFE; lo++) {
                String s = new String(new byte[]{(byte) hi, (byte) lo}, gb);
                int c = s.codePointAt(0);
                if (s.length() == 1 && c >= 0x4E00 && c <= 0x9FFF) {
                    set.set(c);
                }
            }
        }
        return set;
    }
}
