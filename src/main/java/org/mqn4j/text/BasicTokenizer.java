package org.mqn4j.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The first stage of BERT tokenization, as HuggingFace's {@code BasicTokenizer} does it: drop invalid
 * and "control" characters (every Unicode category C*, so also format, surrogate, private-use and
 * unassigned code points) and map whitespace to a space; put spaces around CJK ideographs; NFC (as
 * newer transformers releases do; no effect when accents are stripped, since NFD follows); split on
 * whitespace; lower-case and strip accents (NFD, drop Mn); split off every punctuation character.
 * Works on code points, as Python does: a supplementary character is one unit, a lone surrogate
 * is a category-Cs character and is removed.
 */
public final class BasicTokenizer {
    private final boolean lowerCase;
    private final boolean stripAccents;
    private final Set<String> neverSplit;

    /**
     * @param lowerCase    lower-case each word (HF {@code do_lower_case})
     * @param stripAccents strip accents (HF {@code strip_accents}; {@code null} follows {@code lowerCase})
     * @param neverSplit   words kept whole, not lower-cased and not split on punctuation
     */
    public BasicTokenizer(boolean lowerCase, Boolean stripAccents, Set<String> neverSplit) {
        this.lowerCase = lowerCase;
        this.stripAccents = stripAccents == null ? lowerCase : stripAccents;
        this.neverSplit = Set.copyOf(neverSplit);
    }

    /** Splits {@code text} into words and punctuation marks; never throws, {@code null} is empty. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String cleaned = Normalizer.normalize(cleanAndSpaceCjk(text), Normalizer.Form.NFC);
        for (String word : splitOnWhitespace(cleaned)) {
            if (neverSplit.contains(word)) {
                out.add(word);
                continue;
            }
            if (lowerCase) {
                word = lowerCase(word);
            }
            if (stripAccents) {
                word = stripAccents(word);
            }
            splitOnPunctuation(word, out);
        }
        return out;
    }

    /** {@code _clean_text} followed by {@code _tokenize_chinese_chars}. */
    static String cleanAndSpaceCjk(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                sb.append(' ');
            } else if (isChineseChar(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /**
     * Python's {@code str.split()} on cleaned text: after cleaning, the only characters Python counts
     * as whitespace are the space and the line/paragraph separators U+2028/U+2029.
     */
    static List<String> splitOnWhitespace(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean sep = c == ' ' || c == '\u2028' || c == '\u2029';
            if (sep) {
                if (start >= 0) {
                    words.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }

    /**
     * Python's {@code str.lower()} applied one code point at a time (HF's {@code tokenize} lowers the
     * text that way before this stage, so the final-sigma rule never applies). U+0130 becomes
     * "i\u0307" as in Python.
     */
    static String lowerCase(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            String lower = lowerCodePoint(cp);
            if (sb == null && lower != null) {
                sb = new StringBuilder(s.length() + 4).append(s, 0, i);
            }
            if (sb != null) {
                if (lower != null) {
                    sb.append(lower);
                } else {
                    sb.append(s, i, i + n);
                }
            }
            i += n;
        }
        return sb == null ? s : sb.toString();
    }

    /** The lower-case form of one code point, or null when it is unchanged. */
    private static String lowerCodePoint(int cp) {
        if (cp < 0x80) {
            return (cp >= 'A' && cp <= 'Z') ? String.valueOf((char) (cp + 32)) : null;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            return null;
        }
        String one = new String(Character.toChars(cp));
        String lower = one.toLowerCase(Locale.ROOT);
        return lower.equals(one) ? null : lower;
    }

    /** {@code _run_strip_accents}: NFD, then drop non-spacing marks (Mn). */
    static String stripAccents(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            return s;
        }
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(cp -> {
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** {@code _run_split_on_punc}: every punctuation character becomes a word of its own. */
    private void splitOnPunctuation(String word, List<String> out) {
        if (neverSplit.contains(word)) {
            out.add(word);
            return;
        }
        int start = -1;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int n = Character.charCount(cp);
            if (isPunctuation(cp)) {
                if (start >= 0) {
                    out.add(word.substring(start, i));
                    start = -1;
                }
                out.add(word.substring(i, i + n));
            } else if (start < 0) {
                start = i;
            }
            i += n;
        }
        if (start >= 0) {
            out.add(word.substring(start));
        }
    }

    /** HF {@code _is_whitespace}: space, tab, newline, carriage return, or category Zs. */
    public static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /**
     * HF {@code _is_control}: any category C* except tab, newline and carriage return. The block
     * 4E00–9FFF counts as assigned ideographs throughout (Java 17 knows Unicode 13, where
     * U+9FFD–U+9FFF are still unassigned; Python 3.11 knows them as ideographs).
     */
    public static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        if (cp >= 0x4E00 && cp <= 0x9FFF) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    /** HF {@code _is_punctuation}: every non-alphanumeric printable ASCII character, or category P*. */
    public static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** HF {@code _is_chinese_char}: the CJK Unified Ideographs blocks and the compatibility ideographs. */
    public static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
