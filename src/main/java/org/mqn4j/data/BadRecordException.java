package org.mqn4j.data;

import org.mqn4j.util.MqnException;

/** A record that cannot be used; the message names split file, line, id and the problem. */
public class BadRecordException extends MqnException {
    private final DataProblem problem;

    public BadRecordException(DataProblem problem) {
        this(problem, null);
    }

    public BadRecordException(DataProblem problem, Throwable cause) {
        super("bad record " + problem, cause, 2);
        this.problem = problem;
    }

    public DataProblem problem() {
        return problem;
    }
}
