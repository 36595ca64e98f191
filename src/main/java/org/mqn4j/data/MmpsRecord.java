package org.mqn4j.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One line of an MMPS split file ({@code train.jsonl}, ...): the sample's id, its image and mask
 * (paths resolved against the dataset root), its title and every other field of the line as
 * metadata (JSON values as Jackson trees turned into plain Java: String, Number, Boolean, List, Map).
 *
 * @param split    split name, e.g. {@code "test"} (the file is {@code test.jsonl})
 * @param line     1-based line number in the split file
 * @param id       the sample id (unique across the dataset)
 * @param image    the image file, resolved against the dataset root
 * @param mask     the mask file, resolved against the dataset root
 * @param title    the product title (may be empty)
 * @param metadata the line's other fields, in file order; unmodifiable
 */
public record MmpsRecord(String split, int line, String id, Path image, Path mask, String title,
                         Map<String, Object> metadata) {

    public MmpsRecord {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(title, "title");
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** The split file's name, e.g. {@code test.jsonl}. */
    public String splitFile() {
        return split + MmpsSplitFile.EXTENSION;
    }

    /** {@code test.jsonl:7 [test_000003]}: where this record comes from, for messages. */
    public String where() {
        return splitFile() + ":" + line + " [" + id + "]";
    }
}
