package org.mqn4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed split file {@code <root>/<split>.jsonl}: the good records and the problems of the
 * lines that could not be used. Lines are decoded as strict UTF-8 one by one, so an invalid byte
 * sequence costs only its own line and is reported with its line number. Blank lines are ignored.
 * Only the file is read here; images and masks are checked by {@link SampleLoader}.
 */
public final class MmpsSplitFile {
    /** Extension of split files. */
    public static final String EXTENSION = ".jsonl";
    /** The splits a dataset may have, in reading order. */
    public static final List<String> SPLITS = List.of("train", "val", "test");
    /** Titles longer than this many characters get a warning (MMPS titles run to about 100). */
    static final int LONG_TITLE = 300;

    /** Fails on trailing tokens, so two objects run together on one line are a bad line, not one record. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path root;
    private final String split;
    private final List<MmpsRecord> records;
    private final List<DataProblem> problems;

    private MmpsSplitFile(Path root, String split, List<MmpsRecord> records, List<DataProblem> problems) {
        this.root = root;
        this.split = split;
        this.records = List.copyOf(records);
        this.problems = List.copyOf(problems);
    }

    /** The split file of {@code split} under {@code root}. */
    public static Path path(Path root, String split) {
        return root.resolve(split + EXTENSION);
    }

    /** The splits among {@link #SPLITS} whose file exists under {@code root}. */
    public static List<String> presentSplits(Path root) {
        List<String> out = new ArrayList<>();
        for (String s : SPLITS) {
            if (Files.isRegularFile(path(root, s))) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Reads {@code <root>/<split>.jsonl}.
     *
     * @throws MqnException when the file is missing or cannot be read at all
     */
    public static MmpsSplitFile read(Path root, String split) {
        Path file = path(root, split);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MqnException("split file not found: " + file
                    + (Files.isDirectory(root) ? " (present: " + presentSplits(root) + ")" : " (no such dataset directory)"));
        } catch (IOException e) {
            throw new MqnException("cannot read split file " + file + ": " + e.getMessage(), e);
        }
        return parse(root, split, bytes);
    }

    static MmpsSplitFile parse(Path root, String split, byte[] bytes) {
        String fileName = split + EXTENSION;
        List<MmpsRecord> records = new ArrayList<>();
        List<DataProblem> problems = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = 0;
        int lineNo = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            int len = end - start;
            if (len > 0 && bytes[end - 1] == '\r') {
                len--;
            }
            int off = start;
            if (lineNo == 1 && len >= 3 && (bytes[off] & 0xff) == 0xEF && (bytes[off + 1] & 0xff) == 0xBB
                    && (bytes[off + 2] & 0xff) == 0xBF) {
                off += 3; // UTF-8 byte order mark
                len -= 3;
            }
            start = end + 1;
            String text;
            try {
                text = utf8.reset().decode(ByteBuffer.wrap(bytes, off, len)).toString();
            } catch (CharacterCodingException e) {
                problems.add(new DataProblem(DataProblem.Severity.ERROR, fileName, lineNo, null,
                        "invalid UTF-8 at byte " + firstInvalidUtf8(bytes, off, len) + " of the line"));
                continue;
            }
            if (text.isBlank()) {
                continue;
            }
            parseLine(root, split, fileName, lineNo, text, records, problems, idLines);
        }
        if (records.isEmpty() && problems.isEmpty()) {
            problems.add(new DataProblem(DataProblem.Severity.WARNING, fileName, 0, null, "split file has no records"));
        }
        return new MmpsSplitFile(root, split, records, problems);
    }

    private static void parseLine(Path root, String split, String fileName, int lineNo, String text,
                                  List<MmpsRecord> records, List<DataProblem> problems, Map<String, Integer> idLines) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            problems.add(new DataProblem(DataProblem.Severity.ERROR, fileName, lineNo, null,
                    "bad JSON at column " + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ": "
                            + e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[")));
            return;
        }
        if (!(node instanceof ObjectNode obj)) {
            problems.add(new DataProblem(DataProblem.Severity.ERROR, fileName, lineNo, null,
                    "bad JSON: the line is not a JSON object"));
            return;
        }
        String id = obj.path("id").isTextual() ? obj.get("id").asText() : null;
        List<String> errors = new ArrayList<>();
        for (String field : List.of("id", "image", "mask", "title")) {
            JsonNode v = obj.get(field);
            if (v == null || v.isNull()) {
                errors.add("missing required field \"" + field + "\"");
            } else if (!v.isTextual()) {
                errors.add("field \"" + field + "\" must be a string, not " + v.getNodeType().toString().toLowerCase());
            }
        }
        if (id != null && id.isBlank()) {
            errors.add("field \"id\" is empty");
            id = null;
        }
        Path image = null;
        Path mask = null;
        if (errors.isEmpty()) {
            image = resolve(root, obj.get("image").asText(), "image", errors);
            mask = resolve(root, obj.get("mask").asText(), "mask", errors);
        }
        if (!errors.isEmpty()) {
            for (String e : errors) {
                problems.add(new DataProblem(DataProblem.Severity.ERROR, fileName, lineNo, id, e));
            }
            return;
        }
        Integer first = idLines.putIfAbsent(id, lineNo);
        if (first != null) {
            problems.add(new DataProblem(DataProblem.Severity.ERROR, fileName, lineNo, id,
                    "duplicate id, first seen at " + fileName + ":" + first));
            return;
        }
        String title = obj.get("title").asText();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!List.of("id", "image", "mask", "title").contains(f.getKey())) {
                metadata.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
            }
        }
        MmpsRecord record = new MmpsRecord(split, lineNo, id, image, mask, title, metadata);
        if (title.length() > LONG_TITLE) {
            problems.add(DataProblem.warning(record, "title has " + title.length() + " characters (more than "
                    + LONG_TITLE + ")"));
        }
        if (obj.get("image").asText().equals(obj.get("mask").asText())) {
            problems.add(DataProblem.error(record, "image and mask are the same file " + obj.get("image").asText()));
            return;
        }
        records.add(record);
    }

    private static Path resolve(Path root, String rel, String field, List<String> errors) {
        if (rel.isBlank()) {
            errors.add("field \"" + field + "\" is empty");
            return null;
        }
        Path p;
        try {
            p = Path.of(rel);
        } catch (java.nio.file.InvalidPathException e) {
            errors.add("field \"" + field + "\" is not a valid path: " + rel);
            return null;
        }
        if (p.isAbsolute()) {
            errors.add("field \"" + field + "\" must be a path relative to the dataset root, not " + rel);
            return null;
        }
        return root.resolve(p).normalize();
    }

    /** Offset of the first byte that does not start a valid UTF-8 sequence (for the message). */
    private static int firstInvalidUtf8(byte[] b, int off, int len) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, off, len);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(len + 1);
        d.decode(in, out, true);
        return in.position() - off + 1;
    }

    public Path root() {
        return root;
    }

    public String split() {
        return split;
    }

    /** The split file's name, e.g. {@code test.jsonl}. */
    public String fileName() {
        return split + EXTENSION;
    }

    /** Records whose line parsed, in file order (their files are not checked yet). */
    public List<MmpsRecord> records() {
        return records;
    }

    /** Problems of lines that could not be parsed, and warnings about parsed ones. */
    public List<DataProblem> problems() {
        return problems;
    }
}
