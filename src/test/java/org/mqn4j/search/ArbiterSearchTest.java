package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbiter's runner driving a search whose "training" writes a metrics.json with a known score for each
 * candidate: every candidate runs once, two at a time, the best is the known maximum, a failing trial is
 * recorded and the others go on, and a random search stops at its number of candidates.
 */
class ArbiterSearchTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The known score of a candidate: larger with the learning rate, smaller with more fused stages. */
    static double score(Map<String, JsonNode> v) {
        return 40 + 5000 * v.get("train.learning_rate").asDouble() - v.get("model.fusion_stages").size();
    }

    /** What mqn train writes: two epochs, the second the best. */
    static void writeMetrics(Path run, double mIoU) throws Exception {
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.json"), String.format(Locale.ROOT, """
                {"epochs": [
                  {"epoch": 1, "steps": 50, "seconds": 30.0, "val_mIoU": %.4f, "val_oIoU": 1.0},
                  {"epoch": 2, "steps": 25, "seconds": 15.0, "val_mIoU": %.4f, "val_oIoU": 61.5}],
                 "best": {"epoch": 2, "val_mIoU": %.4f}}
                """, mIoU - 1, mIoU, mIoU));
    }

    private static SearchConfig config(String yaml) throws Exception {
        return SearchConfig.builder().base(Path.of("base.yaml")).space(SearchSpaceTest.space(yaml)).build();
    }

    private static ObjectNode base() throws Exception {
        return (ObjectNode) YAML.readTree("model: {fusion_stages: [1, 2, 3, 4]}\ntrain: {learning_rate: 0.002, max_steps: 1600}\n");
    }

    @Test
    void gridRunsEveryCandidateOnceTwoAtATimeAndFindsTheBest(@TempDir Path dir) throws Exception {
        SearchConfig cfg = config("""
                train.learning_rate: {log_uniform: [1.0e-3, 4.0e-3]}
                model.fusion_stages: {choices: [[1, 2, 3, 4], [2, 3, 4], [3, 4], [4]]}
                """).toBuilder().gridPoints(2).parallel(2).set("train.max_steps", YAML.readTree("600")).build();
        AtomicInteger running = new AtomicInteger(), most = new AtomicInteger();
        List<String> yamls = Collections.synchronizedList(new ArrayList<>());
        List<Integer> updates = Collections.synchronizedList(new ArrayList<>());
        ArbiterSearch search = new ArbiterSearch(cfg, base(), dir, t -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(300);
            yamls.add(t.yaml());
            assertEquals(dir.resolve(String.format(Locale.ROOT, "%02d", t.index())), t.run());
            writeMetrics(t.run(), score(t.values()));
            running.decrementAndGet();
            return "trained";
        }, s -> updates.add(s.records().size()));
        assertEquals(8, search.total());
        List<TrialRecord> rs = search.run();

        assertEquals(8, rs.size());
        assertEquals(2, most.get(), "two trials at a time");
        Set<String> combos = new HashSet<>();
        for (int i = 0; i < rs.size(); i++) {
            TrialRecord r = rs.get(i);
            assertEquals(i, r.index());
            assertEquals("trained", r.status());
            assertEquals(score(r.values()), r.score(), 1e-3);
            assertEquals(61.5, r.best().oIoU(), "oIoU of the best epoch");
            assertEquals(75, r.best().steps());
            assertTrue(combos.add(r.values().toString()), "each candidate once");
        }
        TrialRecord best = ArbiterSearch.best(rs);
        assertEquals(0.004, best.values().get("train.learning_rate").asDouble());
        assertEquals("[4]", best.values().get("model.fusion_stages").toString());
        assertEquals(16, updates.size(), "a report update as each trial starts and ends");
        // each trial's config is the base with the set: keys and the trial's values
        for (String y : yamls) {
            JsonNode t = YAML.readTree(y);
            assertEquals(600, t.at("/train/max_steps").asInt(), y);
            assertTrue(Set.of(0.001, 0.004).contains(t.at("/train/learning_rate").asDouble()), y);
        }

        String md = SearchReport.markdown(cfg, "mqn search", 8, rs, dir.resolve("best.yaml"));
        assertTrue(md.contains("8 of 8 trials finished, 0 failed"), md);
        List<String> rows = md.lines().filter(l -> l.matches("\\| \\d+ \\| \\d\\d \\|.*")).toList();
        assertEquals(8, rows.size(), md);
        assertTrue(rows.get(0).startsWith("| 1 | " + String.format(Locale.ROOT, "%02d", best.index()) + " | 0.004 | [4] | 59.00 | 61.50 | 2 | 75 |"),
                rows.get(0));
        assertTrue(rows.get(7).contains("| 0.001 | [1, 2, 3, 4] | 41.00 |"), rows.get(7));
    }

    @Test
    void aFailingTrialIsRecordedAndTheOthersGoOn(@TempDir Path dir) throws Exception {
        SearchConfig cfg = config("train.learning_rate: {choices: [0.001, 0.002, 0.1]}\nmodel.fusion_stages: {choices: [[3, 4]]}\n");
        ArbiterSearch search = new ArbiterSearch(cfg, base(), dir, t -> {
            if (t.values().get("train.learning_rate").asDouble() == 0.1) {
                throw new MqnException("training exited with status 1: loss is NaN at step 12");
            }
            writeMetrics(t.run(), score(t.values()));
            return "trained";
        }, rs -> { });
        List<TrialRecord> rs = search.run();
        assertEquals(3, rs.size());
        TrialRecord failed = rs.get(2);
        assertEquals("failed", failed.status());
        assertNull(failed.best());
        assertTrue(failed.error().contains("loss is NaN"), failed.error());
        assertEquals(0.002, ArbiterSearch.best(rs).values().get("train.learning_rate").asDouble());
        String md = SearchReport.markdown(cfg, "mqn search", 3, rs, null);
        assertTrue(md.contains("2 of 3 trials finished, 1 failed"), md);
        assertTrue(md.contains("| - | 02 | 0.1 | [3, 4] | - | - | - | - | - |") && md.contains("failed: training exited with status 1: loss is NaN"), md);

        // a run that never validated cannot be scored: the trial fails with the reason
        ArbiterSearch noMetrics = new ArbiterSearch(cfg, base(), dir.resolve("b"), t -> "trained", rs2 -> { });
        MqnException e = assertThrows(MqnException.class, noMetrics::run);
        assertTrue(e.getMessage().contains("no trial of the search finished") && e.getMessage().contains("has no metrics.json"), e.getMessage());
    }

    @Test
    void randomSearchStopsAtItsCandidates(@TempDir Path dir) throws Exception {
        SearchConfig cfg = config("train.learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}\nmodel.fusion_stages: {choices: [[3, 4], [4]]}\n")
                .toBuilder().generator(SearchConfig.Generator.RANDOM).candidates(5).parallel(2).seed(11).build();
        AtomicInteger calls = new AtomicInteger();
        List<TrialRecord> rs = new ArbiterSearch(cfg, base(), dir, t -> {
            calls.incrementAndGet();
            Thread.sleep(100);
            writeMetrics(t.run(), score(t.values()));
            return "trained";
        }, x -> { }).run();
        assertEquals(5, calls.get(), "no trial past the limit, with two slots");
        assertEquals(5, rs.size());
        double bestKnown = rs.stream().mapToDouble(r -> score(r.values())).max().orElseThrow();
        assertEquals(bestKnown, ArbiterSearch.best(rs).score(), 1e-3);
    }

    @Test
    void maxMinutesStopsStartingTrialsAndLetsRunningOnesFinish(@TempDir Path dir) throws Exception {
        SearchConfig cfg = config("train.learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}\nmodel.fusion_stages: {choices: [[3, 4]]}\n")
                .toBuilder().generator(SearchConfig.Generator.RANDOM).candidates(100).parallel(2).maxMinutes(2.0 / 60).build();
        long start = System.nanoTime();
        ArbiterSearch search = new ArbiterSearch(cfg, base(), dir, t -> {
            Thread.sleep(700);
            writeMetrics(t.run(), score(t.values()));
            return "trained";
        }, x -> { });
        List<TrialRecord> rs = search.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(rs.size() >= 2 && rs.size() <= 12, rs.size() + " trials in " + seconds + " s");
        assertTrue(seconds < 10, "stopped soon after 2 s: " + seconds);
        assertTrue(rs.stream().allMatch(r -> r.status().equals("trained")), "every started trial finished: " + rs);
        String md = SearchReport.markdown(cfg, "mqn search", search.total(), rs, null);
        assertTrue(md.contains(rs.size() + " of 100 trials finished, 0 failed, 0 running, " + (100 - rs.size())
                + " not started (or stopped by max_minutes)"), md);
        assertTrue(md.contains("no trial starts after 0.03333 minutes (max_minutes)"), md);
    }

    @Test
    void validationScoreReadsTheBestEpoch(@TempDir Path dir) throws Exception {
        writeMetrics(dir, 57.25);
        ValidationMiou f = new ValidationMiou();
        assertEquals(57.25, f.score(dir, (org.deeplearning4j.arbiter.optimize.api.data.DataProvider) null, null), 1e-9);
        assertTrue(!f.minimize());
        Files.writeString(dir.resolve("metrics.json"), "{\"epochs\": [{\"epoch\": 1, \"steps\": 3}]}");
        MqnException e = assertThrows(MqnException.class, () -> ValidationMiou.read(dir));
        assertTrue(e.getMessage().contains("no validated epoch"), e.getMessage());
    }
}
