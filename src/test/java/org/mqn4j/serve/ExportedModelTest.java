package org.mqn4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.SampleLoader;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export file: what it holds, and clear errors for files that are not one. */
class ExportedModelTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void export() {
        model = dir.resolve("tiny.mqn");
        ExportedModel.of(TinyServe.network()).write(model);
    }

    @Test
    void holdsGraphVocabularyAndSettings() throws IOException {
        try (ZipFile z = new ZipFile(model.toFile())) {
            List<String> names = new ArrayList<>();
            z.stream().forEach(e -> names.add(e.getName()));
            assertEquals(List.of("model.json", "vocab.txt", "model.sd"), names);
        }
        assertFalse(Files.exists(dir.resolve("tiny.mqn.tmp")));
        ExportedModel m = ExportedModel.read(model);
        assertEquals(TinyServe.config(org.mqn4j.fusion.MqnConfig.Variant.MQN), m.config());
        assertEquals(TinyServe.S, m.preprocessing().imageSize());
        assertEquals(TinyServe.T, m.preprocessing().maxTitleLength());
        assertArrayEquals(SampleLoader.MEAN, m.preprocessing().mean());
        assertArrayEquals(SampleLoader.STD, m.preprocessing().std());
        assertEquals(0.5, m.preprocessing().threshold());
        assertEquals(org.mqn4j.text.WordPieceVocab.defaultVocab().tokens(), m.vocab().tokens());
        assertEquals(4, m.attentionNames().size());
        assertEquals(ExportedModel.MQN4J_VERSION, m.version());
        assertFalse(m.graph().hasVariable("features.0.0.weight") && m.graph().getUpdaterMap() != null
                && !m.graph().getUpdaterMap().isEmpty(), "no updater state in the export");
    }

    private static String message(Path f) {
        return assertThrows(MqnException.class, () -> MqnSegmenter.load(f)).getMessage();
    }

    /** A copy of the export with entries changed: null from the editor drops the entry. */
    private static Path rewrite(String name, Map<String, UnaryOperator<byte[]>> edits) throws IOException {
        Path out = dir.resolve(name);
        try (ZipFile z = new ZipFile(model.toFile()); ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] b;
                try (InputStream in = z.getInputStream(e)) {
                    b = in.readAllBytes();
                }
                if (edits.containsKey(e.getName())) {
                    b = edits.get(e.getName()).apply(b);
                }
                if (b != null) {
                    zo.putNextEntry(new ZipEntry(e.getName()));
                    zo.write(b);
                    zo.closeEntry();
                }
            }
        }
        return out;
    }

    @Test
    void notAZip() throws IOException {
        Path f = dir.resolve("text.mqn");
        Files.writeString(f, "hello");
        String m = message(f);
        assertTrue(m.contains(f.toString()) && m.contains("not a readable zip"), m);
        assertTrue(message(dir.resolve("absent.mqn")).contains("does not exist"));
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] b = Files.readAllBytes(model);
        Path f = dir.resolve("truncated.mqn");
        Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
        String m = message(f);
        assertTrue(m.contains(f.toString()) && m.contains("zip"), m);
    }

    @Test
    void missingEntry() throws IOException {
        String m = message(rewrite("nograph.mqn", Map.of("model.sd", b -> null)));
        assertTrue(m.contains("entry 'model.sd' is missing"), m);
        m = message(rewrite("novocab.mqn", Map.of("vocab.txt", b -> null)));
        assertTrue(m.contains("entry 'vocab.txt' is missing"), m);
    }

    @Test
    void unsupportedFormatVersion() throws IOException {
        String m = message(rewrite("v2.mqn", Map.of("model.json", b -> {
            try {
                ObjectNode o = (ObjectNode) new ObjectMapper().readTree(b);
                o.put("format_version", 2);
                return o.toString().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        })));
        assertTrue(m.contains("format version 2") && m.contains("reads version 1"), m);
    }

    @Test
    void corruptGraph() throws IOException {
        String m = message(rewrite("badgraph.mqn", Map.of("model.sd", b -> java.util.Arrays.copyOf(b, 200))));
        assertTrue(m.contains("model.sd") && m.contains("corrupt"), m);
    }

    @Test
    void badJsonAndBadVocabulary() throws IOException {
        String m = message(rewrite("badjson.mqn", Map.of("model.json", b -> "{\"format\":".getBytes(StandardCharsets.UTF_8))));
        assertTrue(m.contains("model.json is not valid JSON"), m);
        m = message(rewrite("badvocab.mqn", Map.of("vocab.txt", b -> "a\nb\n".getBytes(StandardCharsets.UTF_8))));
        assertTrue(m.contains("vocab.txt") && m.contains("[PAD]"), m);
    }

    @Test
    void flippedByteInsideTheGraphEntry() throws IOException {
        byte[] b = Files.readAllBytes(model);
        b[b.length / 2] ^= 0x55; // the middle of the file lies in model.sd's compressed data
        Path f = dir.resolve("flipped.mqn");
        Files.write(f, b);
        String m = message(f);
        assertTrue(m.contains(f.toString()) && m.contains("model.sd") && (m.contains("damaged") || m.contains("corrupt")), m);
    }
}
