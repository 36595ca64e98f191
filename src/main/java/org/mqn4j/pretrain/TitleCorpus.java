package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.io.GraphFile;
import org.mqn4j.util.MqnException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a pretraining corpus: UTF-8, one title per line, either plain text or a JSON
 * object {@code {"title": "...", "attributes": {"color": "red"}, "category": "mug"}} (attributes and
 * category optional). Blank lines are skipped.
 */
public final class TitleCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TitleCorpus() {
    }

    /** All records of {@code file}; a malformed line is an error naming the file and line. */
    public static List<TitleRecord> read(Path file) {
        List<TitleRecord> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (n == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                out.add(parse(line, file + ":" + n));
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new MqnException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new MqnException("cannot read corpus " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new MqnException(file + " holds no title");
        }
        return out;
    }

    /** One corpus line; {@code where} (file:line) names it in errors. */
    static TitleRecord parse(String line, String where) {
        String s = line.strip();
        if (!s.startsWith("{")) {
            return TitleRecord.plain(s);
        }
        JsonNode node;
        try {
            node = JSON.readTree(s);
        } catch (IOException e) {
            throw new MqnException(where + ": invalid JSON: " + e.getMessage().split("\n")[0]);
        }
        JsonNode title = node.get("title");
        if (title == null || !title.isTextual()) {
            throw new MqnException(where + ": a JSON line needs a string field \"title\"");
        }
        Map<String, String> attributes = null;
        JsonNode a = node.get("attributes");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new MqnException(where + ": \"attributes\" must be an object such as {\"color\": \"red\"}");
            }
            attributes = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new MqnException(where + ": attribute \"" + e.getKey() + "\" must be a string");
                }
                if (!e.getKey().matches("[A-Za-z0-9_]+")) {
                    throw new MqnException(where + ": attribute name \"" + e.getKey() + "\" must be letters, digits or _");
                }
                attributes.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode c = node.get("category");
        if (c != null && !c.isNull() && !c.isTextual()) {
            throw new MqnException(where + ": \"category\" must be a string");
        }
        return new TitleRecord(title.asText(), attributes, c == null || c.isNull() ? null : c.asText());
    }

    /** Writes records as JSON lines (atomically: a temporary file renamed into place). */
    public static void write(Path file, Iterable<TitleRecord> records) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new MqnException("cannot create " + parent + ": " + e.getMessage(), e);
        }
        GraphFile.writeAtomically(file, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (TitleRecord r : records) {
                    w.write(toJson(r));
                    w.write('\n');
                }
            }
        });
    }

    /** One record as a JSON line. */
    static String toJson(TitleRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("title", r.title());
        if (r.attributes() != null) {
            ObjectNode a = o.putObject("attributes");
            r.attributes().forEach(a::put);
        }
        if (r.category() != null) {
            o.put("category", r.category());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
