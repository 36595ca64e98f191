package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.train.TrainConfig;
import org.mqn4j.util.MqnException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A hyperparameter search run by Arbiter: its grid or random generator draws candidates from the
 * {@link SearchSpace}, its {@link LocalOptimizationRunner} trains {@link SearchConfig#parallel()} of them at a
 * time through a {@link Trial.Trainer}, and {@link ValidationMiou} scores each finished run. A trial that fails
 * is recorded with its error and the others go on; {@code onUpdate} sees every change (the command rewrites
 * its report there, so nothing is lost if the search is stopped).
 */
public final class ArbiterSearch {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final SearchConfig config;
    private final ObjectNode base;
    private final Path trials;
    private final Trial.Trainer trainer;
    private final Consumer<ArbiterSearch> onUpdate;
    private final TreeMap<Integer, TrialRecord> records = new TreeMap<>();
    private final int total;
    private final CandidateGenerator generator;

    /**
     * @param config   the search
     * @param base     the base run config's YAML tree
     * @param trials   where the trials' configs, runs and logs go
     * @param trainer  trains one trial
     * @param onUpdate called (synchronised) after every trial's start and end, e.g. to rewrite a report from {@link #records()}
     */
    public ArbiterSearch(SearchConfig config, ObjectNode base, Path trials, Trial.Trainer trainer, Consumer<ArbiterSearch> onUpdate) {
        this.config = config;
        this.base = SearchSpace.apply(base, config.set());
        this.trials = trials;
        this.trainer = trainer;
        this.onUpdate = onUpdate;
        CandidateGenerator g;
        int available;
        if (config.generator() == SearchConfig.Generator.GRID) {
            GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(config.space(), config.gridPoints(),
                    GridSearchCandidateGenerator.Mode.Sequential, null);
            available = grid.getTotalNumCandidates();
            g = grid;
        } else {
            g = new RandomSearchGenerator(config.space(), null);
            available = Integer.MAX_VALUE;
        }
        g.setRngSeed(config.seed());
        total = config.candidates() > 0 ? Math.min(config.candidates(), available) : available;
        generator = new CandidateLimit(g, total);
    }

    /** How many trials the search runs. */
    public int total() {
        return total;
    }

    /** The YAML of a trial's run config: the base, the search's set: keys, then the trial's values. */
    public String trialYaml(Map<String, JsonNode> values) {
        try {
            return YAML.writeValueAsString(SearchSpace.apply(base, values));
        } catch (IOException e) {
            throw new MqnException("cannot write a trial config: " + e.getMessage(), e);
        }
    }

    /**
     * Every dimension's extreme values (each choice, each range's ends), set alone into the trial config, must
     * make a config that {@code mqn train} accepts: a misspelt key or an impossible value stops the search before
     * any training, naming the key and value. {@code scratch} is a file written and deleted for the check.
     */
    public void checkSpace(Path scratch) {
        try {
            for (Map.Entry<String, List<JsonNode>> e : config.space().extremes().entrySet()) {
                for (JsonNode v : e.getValue()) {
                    Files.writeString(scratch, trialYaml(Map.of(e.getKey(), v)), StandardCharsets.UTF_8);
                    try {
                        MqnConfig.load(scratch);
                        TrainConfig.load(scratch);
                    } catch (MqnException ex) {
                        throw new MqnException("space." + e.getKey() + " = " + v + " does not make a valid run config: "
                                + ex.getMessage().replace(scratch.toString(), "the trial config"), ex, 2);
                    }
                }
            }
        } catch (IOException ex) {
            throw new MqnException("cannot write " + scratch + ": " + ex.getMessage(), ex);
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException ignored) {
                // a leftover scratch file is harmless
            }
        }
    }

    /**
     * Runs the trials, {@code parallel} at a time, until all {@link #total()} have run or, with {@code max_minutes},
     * that time has passed (no trial starts after it; running ones finish); returns them by index. Throws when no
     * trial finished.
     */
    public List<TrialRecord> run() {
        List<TerminationCondition> stop = new ArrayList<>(List.of(new MaxCandidatesCondition(total)));
        if (config.maxMinutes() > 0) {
            stop.add(new MaxTimeCondition((long) Math.ceil(config.maxMinutes() * 60), TimeUnit.SECONDS));
        }
        OptimizationConfiguration oc = new OptimizationConfiguration.Builder()
                .candidateGenerator(generator)
                .scoreFunction(new ValidationMiou())
                .terminationConditions(stop)
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(config.parallel(), oc, new Tasks());
        runner.execute();
        List<TrialRecord> all = records();
        if (all.stream().noneMatch(TrialRecord::finished)) {
            throw new MqnException("no trial of the search finished: " + all.stream()
                    .map(r -> "trial " + r.index() + ": " + r.error()).findFirst().orElse("none ran"));
        }
        return all;
    }

    /** The trials so far, by index. */
    public synchronized List<TrialRecord> records() {
        return List.copyOf(records.values());
    }

    /** The finished trial with the highest validation mIoU (ties: the lower index). */
    public static TrialRecord best(List<TrialRecord> records) {
        return records.stream().filter(TrialRecord::finished)
                .max(Comparator.comparingDouble(TrialRecord::score).thenComparing(r -> -r.index()))
                .orElseThrow(() -> new MqnException("no trial finished"));
    }

    private synchronized void update(TrialRecord r) {
        records.put(r.index(), r);
        onUpdate.accept(this);
    }

    private static String name(int index) {
        return String.format(Locale.ROOT, "%02d", index);
    }

    /** Arbiter's task creator: each candidate becomes a {@link Trial}, trained and then scored. */
    private final class Tasks implements TaskCreator {
        @Override
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
                                                   List<StatusListener> statusListeners, IOptimizationRunner runner) {
            return () -> execute(candidate, scoreFunction);
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource, Properties properties,
                                                   ScoreFunction scoreFunction, List<StatusListener> statusListeners, IOptimizationRunner runner) {
            return () -> execute(candidate, scoreFunction);
        }

        @SuppressWarnings("unchecked")
        private OptimizationResult execute(Candidate candidate, ScoreFunction scoreFunction) {
            long start = System.currentTimeMillis();
            int index = candidate.getIndex();
            Map<String, JsonNode> values = (Map<String, JsonNode>) candidate.getValue();
            Path run = trials.resolve(name(index));
            update(new TrialRecord(index, values, "running", null, 0, null, run));
            String status;
            ValidationMiou.Best best = null;
            String error = null;
            Double score = null;
            try {
                Trial t = new Trial(index, values, trialYaml(values), trials.resolve(name(index) + ".yaml"), run,
                        trials.resolve(name(index) + ".log"));
                status = trainer.train(t);
                score = scoreFunction.score(run, (DataProvider) null, null);
                best = ValidationMiou.read(run);
            } catch (Exception | LinkageError e) {
                status = "failed";
                error = e instanceof MqnException ? e.getMessage() : e.toString();
            }
            long end = System.currentTimeMillis();
            update(new TrialRecord(index, values, status, best, (end - start) / 60000.0, error, run));
            CandidateInfo info = new CandidateInfo(index, best != null ? CandidateStatus.Complete : CandidateStatus.Failed, score,
                    start, start, end, candidate.getFlatParameters(), error);
            return new OptimizationResult(candidate, score, index, null, info, null);
        }
    }
}
