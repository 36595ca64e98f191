package org.mqn4j.data;

/**
 * A problem found in a dataset, located by split file, line and id.
 *
 * @param severity  ERROR (the record cannot be used) or WARNING (usable, but suspicious)
 * @param splitFile e.g. {@code test.jsonl}
 * @param line      1-based line number, 0 when the problem concerns the whole file
 * @param id        the record id, or {@code null} when the line has none (e.g. bad JSON)
 * @param message   what is wrong, naming the file concerned
 */
public record DataProblem(Severity severity, String splitFile, int line, String id, String message) {

    /** How bad a problem is. */
    public enum Severity { ERROR, WARNING }

    public static DataProblem error(MmpsRecord r, String message) {
        return new DataProblem(Severity.ERROR, r.splitFile(), r.line(), r.id(), message);
    }

    public static DataProblem warning(MmpsRecord r, String message) {
        return new DataProblem(Severity.WARNING, r.splitFile(), r.line(), r.id(), message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code test.jsonl:7 [test_000003] ERROR truncated image images/test_000003.jpg (...)}. */
    @Override
    public String toString() {
        return splitFile + (line > 0 ? ":" + line : "") + (id != null ? " [" + id + "]" : "")
                + " " + severity + " " + message;
    }
}
