package org.mqn4j.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search files: the committed one loads, settings keep their order, mistakes are refused with the file's name. */
class SearchConfigTest {

    @Test
    void theCommittedSearchFileLoads() {
        SearchConfig c = SearchConfig.load(Path.of("conf/search_tiny.yaml"));
        assertEquals(Path.of("conf/mqn_tiny.yaml"), c.base());
        assertEquals(SearchConfig.Generator.GRID, c.generator());
        assertEquals(List.of("train.max_steps", "train.time_budget_minutes"), List.copyOf(c.set().keySet()));
        assertEquals(List.of("train.learning_rate", "model.fusion_stages"), c.space().paths());
        assertTrue(Files.isRegularFile(c.base()));
    }

    @Test
    void mistakesAreRefused(@TempDir Path dir) throws Exception {
        String space = "space:\n  train.learning_rate: {log_uniform: [1.0e-3, 4.0e-3]}\n";
        record Bad(String yaml, String message) {
        }
        for (Bad b : List.of(
                new Bad("base: a.yaml\nbudget: 3\n" + space, "unknown key 'budget'"),
                new Bad(space, "needs a base config"),
                new Bad("base: a.yaml\n", "'space:' must map"),
                new Bad("base: a.yaml\ngenerator: bayes\n" + space, "generator must be grid or random"),
                new Bad("base: a.yaml\ngenerator: random\n" + space, "candidates must be positive"),
                new Bad("base: a.yaml\nparallel: 0\n" + space, "parallel must be at least 1"),
                new Bad("base: a.yaml\ngrid_points: 1\n" + space, "grid_points must be at least 2"),
                new Bad("base: a.yaml\nset: {train.learning_rate: 0.1}\n" + space, "both searched (space) and fixed (set)"),
                new Bad("base: a.yaml\nset: {max_steps: 3}\n" + space, "'max_steps' is not a config path"))) {
            Path f = dir.resolve("s.yaml");
            Files.writeString(f, b.yaml);
            MqnException e = assertThrows(MqnException.class, () -> SearchConfig.load(f), b.yaml);
            assertTrue(e.getMessage().contains(b.message) && e.getMessage().contains(f.toString()), b.yaml + " -> " + e.getMessage());
        }
    }
}
