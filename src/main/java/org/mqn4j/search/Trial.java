package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * One candidate of a search, ready to train.
 *
 * @param index  Arbiter's candidate index (0-based; the same seed and space give the same trial at an index)
 * @param values the searched keys' values
 * @param yaml   the trial's whole run config (base, the search's {@code set:} keys, then {@code values})
 * @param config where that config is written ({@code trials/NN.yaml})
 * @param run    the run directory ({@code trials/NN})
 * @param log    the training log ({@code trials/NN.log})
 */
public record Trial(int index, Map<String, JsonNode> values, String yaml, Path config, Path run, Path log) {

    /** Trains a trial into its run directory: {@code mqn train} in a child JVM in the command line, anything in tests. */
    @FunctionalInterface
    public interface Trainer {
        /**
         * Trains the trial (or reuses or resumes an earlier run of the same config) and returns how its run
         * came about ("trained", "reused", "resumed"); throws when no finished run results.
         */
        String train(Trial trial) throws Exception;
    }
}
