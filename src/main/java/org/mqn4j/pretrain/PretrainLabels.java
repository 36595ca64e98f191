package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The classes of the attribute and category heads, collected from a corpus: per attribute its
 * values, per category head the categories, each list sorted with {@link TitleRecord#NONE} first.
 * An attribute head exists for every attribute some record names; the category head exists when
 * some record has a category. Immutable.
 */
public final class PretrainLabels {
    private final Map<String, List<String>> attributes;
    private final List<String> categories;

    public PretrainLabels(Map<String, List<String>> attributes, List<String> categories) {
        Map<String, List<String>> a = new TreeMap<>();
        attributes.forEach((k, v) -> a.put(k, List.copyOf(v)));
        this.attributes = java.util.Collections.unmodifiableMap(a);
        this.categories = List.copyOf(categories);
    }

    /** The classes of a corpus. */
    public static PretrainLabels of(Collection<TitleRecord> records) {
        Map<String, TreeSet<String>> a = new TreeMap<>();
        TreeSet<String> c = new TreeSet<>();
        for (TitleRecord r : records) {
            if (r.attributes() != null) {
                r.attributes().forEach((k, v) -> a.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
            }
            if (r.category() != null) {
                c.add(r.category());
            }
        }
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        a.forEach((k, v) -> attrs.put(k, noneFirst(v)));
        return new PretrainLabels(attrs, c.isEmpty() ? List.of() : noneFirst(c));
    }

    private static List<String> noneFirst(TreeSet<String> values) {
        List<String> out = new ArrayList<>();
        out.add(TitleRecord.NONE);
        values.stream().filter(v -> !v.equals(TitleRecord.NONE)).forEach(out::add);
        return out;
    }

    /** Attribute names (sorted) to their classes. */
    public Map<String, List<String>> attributes() {
        return attributes;
    }

    /** The category classes; empty when the corpus has no categories (no category head). */
    public List<String> categories() {
        return categories;
    }

    public boolean hasCategories() {
        return !categories.isEmpty();
    }

    /** The class index of a record's attribute, or -1 when unknown (no attributes in the record, or an unseen value). */
    public int attributeIndex(String attribute, TitleRecord r) {
        String v = r.attribute(attribute);
        return v == null ? -1 : attributes.get(attribute).indexOf(v);
    }

    /** The class index of a record's category, or -1 when unknown. */
    public int categoryIndex(TitleRecord r) {
        return r.category() == null ? -1 : categories.indexOf(r.category());
    }

    public ObjectNode toJson() {
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.set("attributes", om.valueToTree(attributes));
        o.set("categories", om.valueToTree(categories));
        return o;
    }

    public static PretrainLabels fromJson(JsonNode o) {
        Map<String, List<String>> a = new LinkedHashMap<>();
        o.path("attributes").fields().forEachRemaining(e -> {
            List<String> v = new ArrayList<>();
            e.getValue().forEach(n -> v.add(n.asText()));
            a.put(e.getKey(), v);
        });
        List<String> c = new ArrayList<>();
        o.path("categories").forEach(n -> c.add(n.asText()));
        return new PretrainLabels(a, c);
    }

    @Override
    public String toString() {
        return "attributes " + attributes + ", categories " + categories;
    }
}
