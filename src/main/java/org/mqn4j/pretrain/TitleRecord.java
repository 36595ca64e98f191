package org.mqn4j.pretrain;

import java.util.Map;
import java.util.TreeMap;

/**
 * One line of a pretraining corpus: a product title and, when known, the values of its attributes
 * and its category.
 *
 * @param title      the title (may be empty)
 * @param attributes attribute name to value ({@code {"color": "red"}}); an attribute of the corpus
 *                   missing from the map is not named by the title and counts as {@link #NONE};
 *                   null when the line has no attributes at all (a plain-text line): no attribute loss
 * @param category   the category, {@link #NONE} when the title does not name it, null when unknown
 */
public record TitleRecord(String title, Map<String, String> attributes, String category) {
    /** The class of an attribute or category that the title does not name. */
    public static final String NONE = "none";

    public TitleRecord {
        title = title == null ? "" : title;
        attributes = attributes == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** A title without labels (a plain-text corpus line). */
    public static TitleRecord plain(String title) {
        return new TitleRecord(title, null, null);
    }

    /** The value of {@code attribute}: {@link #NONE} when not named, null when the record has no attributes. */
    public String attribute(String attribute) {
        return attributes == null ? null : attributes.getOrDefault(attribute, NONE);
    }
}
