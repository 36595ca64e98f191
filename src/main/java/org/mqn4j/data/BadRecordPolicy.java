package org.mqn4j.data;

/** What a reader does with a record it cannot use. */
public enum BadRecordPolicy {
    /** Stop with a {@link BadRecordException} naming the split file, line, id and problem. */
    FAIL,
    /** Log a warning, count the record as skipped and go on with the next one. */
    SKIP
}
