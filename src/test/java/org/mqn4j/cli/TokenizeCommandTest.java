package org.mqn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.text.WordPieceVocab;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void printsTokensAndIdsWithAGivenVocab() throws IOException {
        Path vocab = dir.resolve("vocab.txt");
        Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n红\n色\nmug\n");
        assertEquals(0, run("tokenize", "--title", "红色 Mug😀", "--vocab", vocab.toString(), "--max-length", "6"));
        String s = out.toString();
        assertTrue(s.contains("(7 tokens), max length 6"), s);
        assertTrue(s.contains("length: 5 of 6, [UNK]: 1"), s);
        assertTrue(s.contains("input_ids: 2 4 5 1 3 0"), s);   // "mug😀" is one uncoverable word
        assertTrue(s.contains("attention_mask: 1 1 1 1 1 0"), s);
    }

    @Test
    void writesTheDefaultVocab() {
        Path file = dir.resolve("out/vocab.txt");
        assertEquals(0, run("tokenize", "--write-vocab", file.toString()));
        assertEquals(WordPieceVocab.defaultVocab().tokens(), WordPieceVocab.load(file).tokens());
    }

    @Test
    void badInputIsAMessageNotAStackTrace() {
        assertEquals(1, run("tokenize", "--title", "x", "--vocab", dir.resolve("missing.txt").toString()));
        assertTrue(err.toString().startsWith("error: vocabulary file not found"), err.toString());
        assertEquals(1, run("tokenize", "--title", "x", "--max-length", "1"));
        assertTrue(err.toString().contains("at least 2"), err.toString());
    }
}
