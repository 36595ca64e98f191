package org.mqn4j.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void everyCommittedSearchFileMakesValidTrialConfigs(@TempDir Path dir) throws Exception {
        List<Path> files;
        try (var s = Files.list(Path.of("conf"))) {
            files = s.filter(p -> p.getFileName().toString().startsWith("search_")).sorted().toList();
        }
        assertTrue(files.size() >= 2, files.toString());
        for (Path f : files) {
            SearchConfig c = SearchConfig.load(f);
            ObjectNode base = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(c.base().toFile());
            new ArbiterSearch(c, base, dir, t -> "none", r -> { }).checkSpace(dir.resolve("check.yaml"));
        }
        // and a value mqn train refuses is caught, with its key and value
        SearchConfig bad = SearchConfig.load(files.get(0)).toBuilder()
                .space(SearchSpaceTest.space("model.fusion_stages: {choices: [[3, 4], [0, 3]]}")).build();
        ObjectNode base = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(bad.base().toFile());
        MqnException e = assertThrows(MqnException.class,
                () -> new ArbiterSearch(bad, base, dir, t -> "none", r -> { }).checkSpace(dir.resolve("check.yaml")));
        assertTrue(e.getMessage().startsWith("space.model.fusion_stages = [0,3] does not make a valid run config"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("check.yaml")), "the scratch file is deleted");
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
                new Bad("base: a.yaml\nmax_minutes: -1\n" + space, "max_minutes must be 0 (no limit) or positive"),
                new Bad("base: a.yaml\nmax_minutes: soon\n" + space, "max_minutes must be a number"),
                new Bad("base: a.yaml\nset: {train.learning_rate: 0.1}\n" + space, "both searched (space) and fixed (set)"),
                new Bad("base: a.yaml\nset: {max_steps: 3}\n" + space, "'max_steps' is not a config path"))) {
            Path f = dir.resolve("s.yaml");
            Files.writeString(f, b.yaml);
            MqnException e = assertThrows(MqnException.class, () -> SearchConfig.load(f), b.yaml);
            assertTrue(e.getMessage().contains(b.message) && e.getMessage().contains(f.toString()), b.yaml + " -> " + e.getMessage());
        }
    }
}
