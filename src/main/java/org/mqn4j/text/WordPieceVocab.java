package org.mqn4j.text;

import org.mqn4j.util.MqnException;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece vocabulary: one token per line, the line number (from 0) is the id, as in a
 * HuggingFace {@code vocab.txt}. Lines end with \n, \r\n or \r (Python's universal newlines); a
 * leading UTF-8 byte-order mark is ignored (HF would keep it as part of the first token). If a
 * token occurs twice, the later line's id wins, as in HF's {@code load_vocab}; the earlier id then
 * reads back as [UNK]. [PAD], [UNK], [CLS] and [SEP] are required; [MASK] is optional.
 */
public final class WordPieceVocab {
    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String MASK = "[MASK]";

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final String source;
    private final int padId;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int maskId;
    private final int duplicates;
    private final int maxTokenCodePoints;

    private WordPieceVocab(List<String> tokens, String source) {
        this.tokens = List.copyOf(tokens);
        this.source = source;
        this.ids = new HashMap<>(tokens.size() * 2);
        int dup = 0;
        int longest = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (ids.put(t, i) != null) {
                dup++;
            }
            longest = Math.max(longest, t.codePointCount(0, t.length()));
        }
        this.duplicates = dup;
        this.maxTokenCodePoints = longest;
        List<String> missing = new ArrayList<>();
        for (String special : List.of(PAD, UNK, CLS, SEP)) {
            if (!ids.containsKey(special)) {
                missing.add(special);
            }
        }
        if (!missing.isEmpty()) {
            throw new MqnException("vocabulary " + source + " (" + tokens.size() + " lines) lacks the special token"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + "; a BERT vocab.txt has one token per line and needs [PAD], [UNK], [CLS] and [SEP]");
        }
        this.padId = ids.get(PAD);
        this.unkId = ids.get(UNK);
        this.clsId = ids.get(CLS);
        this.sepId = ids.get(SEP);
        this.maskId = ids.getOrDefault(MASK, -1);
    }

    /** A vocabulary from a token list (index = id); {@code source} names it in error messages. */
    public static WordPieceVocab of(List<String> tokens, String source) {
        return new WordPieceVocab(tokens, source);
    }

    /** The built-in vocabulary ({@link DefaultVocab}): needs no download. */
    public static WordPieceVocab defaultVocab() {
        return DefaultHolder.VOCAB;
    }

    private static final class DefaultHolder {
        static final WordPieceVocab VOCAB = new WordPieceVocab(DefaultVocab.tokens(), "<default>");
    }

    /** The smaller built-in vocabulary ({@link CommonVocab}) for models trained from scratch. */
    public static WordPieceVocab commonVocab() {
        return CommonHolder.VOCAB;
    }

    private static final class CommonHolder {
        static final WordPieceVocab VOCAB = new WordPieceVocab(CommonVocab.tokens(), "<common>");
    }

    /** Reads a {@code vocab.txt} (UTF-8, one token per line). */
    public static WordPieceVocab load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MqnException("vocabulary file not found: " + file, e);
        } catch (IOException e) {
            throw new MqnException("cannot read vocabulary file " + file + ": " + e.getMessage(), e);
        }
        WordPieceVocab vocab = new WordPieceVocab(splitLines(decodeUtf8(bytes, file)), file.toString());
        if (vocab.duplicates > 0) {
            LoggerFactory.getLogger(WordPieceVocab.class).warn("{}: {} duplicate token(s); the later line's id wins, as in HuggingFace", file, vocab.duplicates);
        }
        return vocab;
    }

    private static String decodeUtf8(byte[] bytes, Path file) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new MqnException("vocabulary file " + file + " is not valid UTF-8 at line " + line
                    + " (byte offset " + in.position() + ")");
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Python's {@code readlines()} in text mode, each line without its line end. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                i += (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /** Writes one token per line, \n line ends, UTF-8 without BOM. */
    public void save(Path file) {
        StringBuilder sb = new StringBuilder(tokens.size() * 4);
        for (String t : tokens) {
            sb.append(t).append('\n');
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MqnException("cannot write vocabulary file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Number of lines = the embedding rows a model needs (ids run 0 … size−1). */
    public int size() {
        return tokens.size();
    }

    /** The length of the longest token in code points: no longer string can be in the vocabulary. */
    public int maxTokenCodePoints() {
        return maxTokenCodePoints;
    }

    /** The id of {@code token}, or −1 when it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The id of {@code token}, or the [UNK] id. */
    public int idOrUnk(String token) {
        Integer id = ids.get(token);
        return id == null ? unkId : id;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token of an id; [UNK] for an id out of range or shadowed by a later duplicate (as HF). */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            return UNK;
        }
        String t = tokens.get(id);
        return ids.get(t) == id ? t : UNK;
    }

    /** All tokens in id order (line order), duplicates included. */
    public List<String> tokens() {
        return tokens;
    }

    /** Where the vocabulary came from (a file path or {@code <default>}). */
    public String source() {
        return source;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    /** The [MASK] id, or −1 when the vocabulary has none. */
    public int maskId() {
        return maskId;
    }

    @Override
    public String toString() {
        return "WordPieceVocab[" + source + ", " + tokens.size() + " tokens]";
    }
}
