package org.mqn4j.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordPieceVocabTest {
    @TempDir
    Path dir;

    /** The head of a BERT Chinese vocab.txt (hfl/chinese-roberta-wwm-ext layout) and two characters. */
    static List<String> chineseLayout() {
        List<String> lines = new ArrayList<>();
        lines.add("[PAD]");
        for (int i = 1; i <= 99; i++) {
            lines.add("[unused" + i + "]");
        }
        lines.addAll(List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]", "红", "色", "##色"));
        return lines;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void loadsBertChineseLayoutWithBomAndCrLf() throws IOException {
        byte[] body = String.join("\r\n", chineseLayout()).concat("\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        WordPieceVocab v = WordPieceVocab.load(write("vocab.txt", all));
        assertEquals(107, v.size());
        assertEquals(0, v.padId());
        assertEquals(100, v.unkId());
        assertEquals(101, v.clsId());
        assertEquals(102, v.sepId());
        assertEquals(103, v.maskId());
        assertEquals(104, v.id("红"));
        assertEquals(106, v.id("##色"));
        assertEquals(-1, v.id("蓝"));
        assertEquals(100, v.idOrUnk("蓝"));
        assertEquals("[unused7]", v.token(7));
        Encoding e = BertTokenizer.builder().vocab(v).maxLength(5).build().encode("红色蓝");
        int[] expected = {101, 104, 105, 100, 102};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], e.ids()[i]);
        }
    }

    @Test
    void lineEndsFollowPythonUniversalNewlines() throws IOException {
        // \n, \r\n and a lone \r all end a line; no trailing newline is fine; an empty line is a token "".
        String text = "[PAD]\n[UNK]\r\n[CLS]\r[SEP]\n\nred";
        WordPieceVocab v = WordPieceVocab.load(write("v.txt", text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "", "red"), v.tokens());
        assertEquals(5, v.id("red"));
        assertEquals(4, v.id(""));
        // HF strips only the line end: trailing spaces stay part of the token
        WordPieceVocab w = WordPieceVocab.load(write("w.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nred \n".getBytes(StandardCharsets.UTF_8)));
        assertFalse(w.contains("red"));
        assertTrue(w.contains("red "));
    }

    @Test
    void laterDuplicateWinsAsInHf() throws IOException {
        Path p = write("dup.txt", "[PAD]\nred\n[UNK]\n[CLS]\n[SEP]\nred\n".getBytes(StandardCharsets.UTF_8));
        WordPieceVocab v = WordPieceVocab.load(p);
        assertEquals(6, v.size());          // lines, so ids 0..5 all address an embedding row
        assertEquals(5, v.id("red"));
        assertEquals("red", v.token(5));
        assertEquals("[UNK]", v.token(1));  // HF's ids_to_tokens has no entry for the shadowed id
    }

    @Test
    void missingSpecialTokensNameTheFile() throws IOException {
        Path p = write("bad-vocab.txt", "[PAD]\n[CLS]\n[SEP]\nred\n".getBytes(StandardCharsets.UTF_8));
        MqnException e = assertThrows(MqnException.class, () -> WordPieceVocab.load(p));
        assertTrue(e.getMessage().contains("bad-vocab.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("lacks the special token [UNK];"), e.getMessage());
        Path empty = write("empty.txt", new byte[0]);
        MqnException e2 = assertThrows(MqnException.class, () -> WordPieceVocab.load(empty));
        assertTrue(e2.getMessage().contains("lacks the special tokens [PAD], [UNK], [CLS], [SEP];"), e2.getMessage());
    }

    @Test
    void missingFileAndBadUtf8AreClearErrors() throws IOException {
        Path missing = dir.resolve("nope.txt");
        MqnException e = assertThrows(MqnException.class, () -> WordPieceVocab.load(missing));
        assertTrue(e.getMessage().contains("nope.txt") && e.getMessage().contains("not found"), e.getMessage());
        byte[] bad = "[PAD]\n[UNK]\n[CLS]\n\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        Path p = write("latin1.txt", bad);
        MqnException e2 = assertThrows(MqnException.class, () -> WordPieceVocab.load(p));
        assertTrue(e2.getMessage().contains("latin1.txt") && e2.getMessage().contains("line 4"), e2.getMessage());
    }

    @Test
    void saveAndLoadRoundTrip() {
        Path p = dir.resolve("sub/vocab.txt");
        WordPieceVocab.defaultVocab().save(p);
        WordPieceVocab back = WordPieceVocab.load(p);
        assertEquals(WordPieceVocab.defaultVocab().tokens(), back.tokens());
    }
}
