package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A hyperparameter search ({@code mqn search --spec FILE}), read from YAML:
 * <pre>
 * base: conf/mqn_tiny.yaml      # the run config every trial starts from
 * generator: grid               # grid (every combination) or random (Arbiter's random search)
 * candidates: 8                 # random: how many trials; grid: at most this many (0: the whole grid)
 * grid_points: 2                # grid: values taken from each continuous or integer range
 * seed: 1                       # random: the generator's seed (the same seed gives the same trials)
 * parallel: 2                   # trials trained at a time, each in its own JVM with one ND4J thread
 * max_minutes: 0                # start no trial after this many minutes (running ones finish); 0: no limit
 * set:                          # keys set in every trial's config (the budget)
 *   train.max_steps: 600
 * space:                        # the searched dimensions (SearchSpace)
 *   train.learning_rate: {log_uniform: [1.0e-3, 4.0e-3]}
 *   model.fusion_stages: {choices: [[1, 2, 3, 4], [3, 4]]}
 * </pre>
 */
public final class SearchConfig {
    /** How candidates are drawn: Arbiter's GridSearchCandidateGenerator or RandomSearchGenerator. */
    public enum Generator { GRID, RANDOM }

    private static final Set<String> KEYS = Set.of("base", "generator", "candidates", "grid_points", "seed", "parallel", "max_minutes", "set", "space");

    private final Path base;
    private final Generator generator;
    private final int candidates;
    private final int gridPoints;
    private final long seed;
    private final int parallel;
    private final double maxMinutes;
    private final Map<String, JsonNode> set;
    private final SearchSpace space;

    private SearchConfig(Builder b) {
        if (b.base == null) {
            throw new MqnException("a search needs a base config (base: conf/mqn_tiny.yaml)");
        }
        if (b.space == null) {
            throw new MqnException("a search needs a space");
        }
        if (b.candidates < 0 || (b.generator == Generator.RANDOM && b.candidates == 0)) {
            throw new MqnException("candidates must be positive (or 0 for a whole grid), got " + b.candidates);
        }
        if (b.gridPoints < 2) {
            throw new MqnException("grid_points must be at least 2, got " + b.gridPoints);
        }
        if (b.parallel < 1) {
            throw new MqnException("parallel must be at least 1, got " + b.parallel);
        }
        if (!(b.maxMinutes >= 0) || Double.isInfinite(b.maxMinutes)) {
            throw new MqnException("max_minutes must be 0 (no limit) or positive, got " + b.maxMinutes);
        }
        b.set.keySet().forEach(p -> SearchSpace.checkPath(p, "set"));
        for (String p : b.space.paths()) {
            if (b.set.containsKey(p)) {
                throw new MqnException(p + " is both searched (space) and fixed (set)");
            }
        }
        base = b.base;
        generator = b.generator;
        candidates = b.candidates;
        gridPoints = b.gridPoints;
        seed = b.seed;
        parallel = b.parallel;
        maxMinutes = b.maxMinutes;
        set = Collections.unmodifiableMap(new LinkedHashMap<>(b.set));
        space = b.space;
    }

    public Path base() { return base; }
    public Generator generator() { return generator; }
    public int candidates() { return candidates; }
    public int gridPoints() { return gridPoints; }
    public long seed() { return seed; }
    public int parallel() { return parallel; }
    /** Minutes after which no trial starts (Arbiter's MaxTimeCondition; running trials finish); 0: no limit. */
    public double maxMinutes() { return maxMinutes; }
    /** The keys set in every trial, in the file's order. */
    public Map<String, JsonNode> set() { return set; }
    public SearchSpace space() { return space; }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().base(base).generator(generator).candidates(candidates).gridPoints(gridPoints)
                .seed(seed).parallel(parallel).maxMinutes(maxMinutes).space(space);
        b.set.putAll(set);
        return b;
    }

    /** Reads a search file; unknown keys are refused (they are usually typos). */
    public static SearchConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new MqnException(file + ": cannot read the search file: " + e.getMessage().split("\n")[0], e);
        }
        if (root == null || !root.isObject()) {
            throw new MqnException(file + ": expected a mapping with base, space and the search's settings");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new MqnException(file + ": unknown key '" + k + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        Builder b = builder().space(SearchSpace.fromTree(root.get("space"), file.toString()));
        if (root.hasNonNull("base")) b.base(Path.of(root.get("base").asText()));
        if (root.has("generator")) {
            String g = root.get("generator").asText().toUpperCase(Locale.ROOT);
            try {
                b.generator(Generator.valueOf(g));
            } catch (IllegalArgumentException e) {
                throw new MqnException(file + ": generator must be grid or random, got '" + root.get("generator").asText() + "'");
            }
        }
        if (root.has("candidates")) b.candidates(integer(root, "candidates", file));
        if (root.has("grid_points")) b.gridPoints(integer(root, "grid_points", file));
        if (root.has("seed")) b.seed(integer(root, "seed", file));
        if (root.has("parallel")) b.parallel(integer(root, "parallel", file));
        if (root.has("max_minutes")) {
            if (!root.get("max_minutes").isNumber()) {
                throw new MqnException(file + ": max_minutes must be a number, got " + root.get("max_minutes"));
            }
            b.maxMinutes(root.get("max_minutes").asDouble());
        }
        JsonNode s = root.get("set");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) {
                throw new MqnException(file + ": 'set:' must map config paths to values");
            }
            s.fields().forEachRemaining(e -> b.set(e.getKey(), e.getValue()));
        }
        try {
            return b.build();
        } catch (MqnException e) {
            throw new MqnException(file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode n, String key, Path file) {
        JsonNode v = n.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new MqnException(file + ": " + key + " must be a whole number, got " + v);
        }
        return v.intValue();
    }

    /** Builder; defaults: grid, candidates 0 (whole grid), grid_points 3, seed 0, parallel 2, no time limit. */
    public static final class Builder {
        private Path base;
        private Generator generator = Generator.GRID;
        private int candidates;
        private int gridPoints = 3;
        private long seed;
        private int parallel = 2;
        private double maxMinutes;
        private final Map<String, JsonNode> set = new LinkedHashMap<>();
        private SearchSpace space;

        public Builder base(Path v) { base = v; return this; }
        public Builder generator(Generator v) { generator = v; return this; }
        public Builder candidates(int v) { candidates = v; return this; }
        public Builder gridPoints(int v) { gridPoints = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder parallel(int v) { parallel = v; return this; }
        public Builder maxMinutes(double v) { maxMinutes = v; return this; }
        public Builder set(String path, JsonNode value) { set.put(path, value); return this; }
        public Builder space(SearchSpace v) { space = v; return this; }

        public SearchConfig build() {
            return new SearchConfig(this);
        }
    }
}
