package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a search knows about one trial.
 *
 * @param index   Arbiter's candidate index
 * @param values  the searched keys' values
 * @param status  running, trained, reused, resumed or failed
 * @param best    the run's best validated epoch (null unless it finished)
 * @param minutes wall-clock minutes this search spent on the trial (training, validation, start-up)
 * @param error   why it failed (null otherwise)
 * @param run     its run directory
 */
public record TrialRecord(int index, Map<String, JsonNode> values, String status, ValidationMiou.Best best, double minutes,
                          String error, Path run) {

    /** The score Arbiter ranks by (validation mIoU), NaN without one. */
    public double score() {
        return best == null ? Double.NaN : best.mIoU();
    }

    public boolean finished() {
        return best != null;
    }
}
