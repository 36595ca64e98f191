package org.mqn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCommandTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void writesTheMmpsLayout(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("s");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "synth", "--out", root.toString(), "--train", "8", "--val", "0", "--test", "5",
                "--size", "40", "--seed", "3", "--threads", "2");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("wrote 13 records"), out.toString());
        assertTrue(out.toString().contains("distractors per image"), out.toString());
        assertFalse(Files.exists(root.resolve("val.jsonl")), "--val 0 writes no val.jsonl");
        assertTrue(Files.size(root.resolve("contact-sheet.png")) > 0);

        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        for (String split : List.of("train", "test")) {
            List<String> lines = Files.readAllLines(root.resolve(split + ".jsonl"), StandardCharsets.UTF_8);
            assertEquals(split.equals("train") ? 8 : 5, lines.size());
            for (String line : lines) {
                JsonNode rec = json.readTree(line);
                String id = rec.get("id").asText();
                assertTrue(ids.add(id), "duplicate id " + id);
                assertTrue(id.startsWith(split + "_"), id);
                assertEquals("masks/" + id + ".png", rec.get("mask").asText());
                assertFalse(rec.get("title").asText().isEmpty(), id);
                BufferedImage image = ImageIO.read(root.resolve(rec.get("image").asText()).toFile());
                BufferedImage mask = ImageIO.read(root.resolve(rec.get("mask").asText()).toFile());
                assertEquals(40, image.getWidth());
                assertEquals(image.getWidth(), mask.getWidth());
                assertEquals(image.getHeight(), mask.getHeight());
                JsonNode target = rec.get("target");
                String title = rec.get("title").asText();
                Set<String> names = new HashSet<>();
                rec.get("title_names").forEach(n -> names.add(n.asText()));
                assertFalse(names.isEmpty(), id);
                if (names.contains("color")) {
                    assertTrue(title.contains(target.get("color_zh").asText()), id + ": " + title);
                }
                if (names.contains("category")) {
                    assertTrue(title.contains(target.get("category_zh").asText()), id + ": " + title);
                }
                assertEquals(rec.get("n_distractors").asInt(), rec.get("distractors").size());
            }
        }

        // A second run into the same place is refused, with a message and a non-zero status.
        StringWriter err2 = new StringWriter();
        int again = run(new StringWriter(), err2, "synth", "--out", root.toString(), "--train", "2", "--test", "1",
                "--val", "0", "--size", "40");
        assertNotEquals(0, again);
        assertTrue(err2.toString().startsWith("error: ") && err2.toString().contains("--force"), err2.toString());
        assertEquals(0, run(new StringWriter(), new StringWriter(), "synth", "--out", root.toString(), "--train", "20",
                "--test", "1", "--size", "32", "--force"));
        assertEquals(2, Files.readAllLines(root.resolve("val.jsonl")).size(), "--val defaults to --train / 10");
        assertEquals(20, Files.readAllLines(root.resolve("train.jsonl")).size());
    }

    @Test
    void badArgumentsAreUserErrors(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        assertNotEquals(0, run(new StringWriter(), err, "synth", "--out", tmp.toString(), "--size", "4"));
        assertTrue(err.toString().startsWith("error: --size"), err.toString());
    }
}
