package org.mqn4j.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint load did: graph variables that received a tensor, graph variables left
 * without one ({@code missing}), tensors that went nowhere ({@code unused}), checkpoint names
 * that were translated to graph names ({@code renamed}, checkpoint name to graph name) and free
 * notes (dropped buffers, resized tables).
 */
public record LoadReport(String source, List<String> loaded, List<String> missing, List<String> unused,
                         Map<String, String> renamed, List<String> notes) {

    public LoadReport {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unused = List.copyOf(unused);
        renamed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(renamed));
        notes = List.copyOf(notes);
    }

    /** True when every graph variable received a tensor. */
    public boolean complete() {
        return missing.isEmpty();
    }

    /** This report with {@code more} notes appended. */
    public LoadReport withNotes(List<String> more) {
        List<String> n = new ArrayList<>(notes);
        n.addAll(more);
        return new LoadReport(source, loaded, missing, unused, renamed, n);
    }

    /** A multi-line description listing at most {@code maxPerList} names per list. */
    public String describe(int maxPerList) {
        StringBuilder sb = new StringBuilder();
        sb.append("loaded ").append(loaded.size()).append(" of ").append(loaded.size() + missing.size())
                .append(" graph variables from ").append(source);
        list(sb, "missing (graph variables without a tensor)", missing, maxPerList);
        list(sb, "unused (tensors without a graph variable)", unused, maxPerList);
        List<String> pairs = new ArrayList<>();
        renamed.forEach((from, to) -> pairs.add(from + " -> " + to));
        list(sb, "renamed", pairs, maxPerList);
        list(sb, "notes", notes, Integer.MAX_VALUE);
        return sb.toString();
    }

    private static void list(StringBuilder sb, String title, List<String> items, int max) {
        if (items.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(title).append(": ").append(items.size());
        for (int i = 0; i < Math.min(max, items.size()); i++) {
            sb.append("\n    ").append(items.get(i));
        }
        if (items.size() > max) {
            sb.append("\n    ... and ").append(items.size() - max).append(" more");
        }
    }

    @Override
    public String toString() {
        return describe(10);
    }
}
