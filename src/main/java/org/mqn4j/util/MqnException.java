package org.mqn4j.util;

/**
 * An error a user can act on (bad input, missing file, inconsistent configuration). The command
 * line prints its message without a stack trace and exits with {@link #exitCode()}.
 */
public class MqnException extends RuntimeException {
    private final int exitCode;

    public MqnException(String message) {
        this(message, null, 1);
    }

    public MqnException(String message, Throwable cause) {
        this(message, cause, 1);
    }

    public MqnException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
