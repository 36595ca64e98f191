package org.mqn4j.data;

import java.io.IOException;

/**
 * An image or mask file that cannot be decoded. {@link #kind()} says how it is bad
 * ({@code "truncated"}, {@code "unreadable"}, {@code "corrupt"}, {@code "missing"}) and
 * {@link #detail()} says why, so that messages read "truncated image images/x.jpg (detail)".
 */
public class BadImageException extends IOException {
    private final String kind;
    private final String detail;

    public BadImageException(String kind, String detail, Throwable cause) {
        super(kind + " (" + detail + ")", cause);
        this.kind = kind;
        this.detail = detail;
    }

    public String kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }
}
