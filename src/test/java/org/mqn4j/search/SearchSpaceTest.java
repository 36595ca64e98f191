package org.mqn4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;
import org.mqn4j.util.MqnException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search space read from YAML, as Arbiter's random and grid generators draw from it, and set into a config tree. */
class SearchSpaceTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static SearchSpace space(String yaml) throws Exception {
        return SearchSpace.fromTree(YAML.readTree(yaml), "test.yaml");
    }

    private static final String SPACE = """
            train.learning_rate: {log_uniform: [1.0e-3, 4.0e-3]}
            train.weight_decay: {uniform: [0.0, 0.1]}
            train.warmup_steps: {integers: [10, 12]}
            model.fusion_stages: {choices: [[1, 2, 3, 4], [3, 4], [4]]}
            """;

    @SuppressWarnings("unchecked")
    private static List<Map<String, JsonNode>> random(SearchSpace s, long seed, int n) {
        RandomSearchGenerator g = new RandomSearchGenerator(s, null);
        g.setRngSeed(seed);
        List<Map<String, JsonNode>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Candidate c = g.getCandidate();
            assertEquals(i, c.getIndex());
            out.add((Map<String, JsonNode>) c.getValue());
        }
        return out;
    }

    @Test
    void randomSearchDrawsEachDimensionFromItsDistribution() throws Exception {
        SearchSpace s = space(SPACE);
        assertEquals(List.of("train.learning_rate", "train.weight_decay", "train.warmup_steps", "model.fusion_stages"), s.paths());
        assertEquals(4, s.numParameters());
        List<Map<String, JsonNode>> cs = random(s, 7, 2000);
        int belowGeometricMean = 0, belowArithmeticMid = 0;
        Set<JsonNode> stages = new HashSet<>();
        Set<Integer> warmups = new HashSet<>();
        for (Map<String, JsonNode> c : cs) {
            double lr = c.get("train.learning_rate").asDouble();
            assertTrue(lr >= 1e-3 && lr <= 4e-3, "learning rate " + lr);
            belowGeometricMean += lr < 2e-3 ? 1 : 0;
            double wd = c.get("train.weight_decay").asDouble();
            assertTrue(wd >= 0 && wd <= 0.1, "weight decay " + wd);
            belowArithmeticMid += wd < 0.05 ? 1 : 0;
            assertTrue(c.get("train.warmup_steps").isInt(), c.toString());
            warmups.add(c.get("train.warmup_steps").asInt());
            stages.add(c.get("model.fusion_stages"));
        }
        // log-uniform on [1e-3, 4e-3]: half below the geometric mean 2e-3 (uniform would put a third there)
        assertEquals(0.5, belowGeometricMean / 2000.0, 0.04);
        assertEquals(0.5, belowArithmeticMid / 2000.0, 0.04);
        assertEquals(Set.of(10, 11, 12), warmups);
        assertEquals(3, stages.size(), stages.toString());
        assertTrue(stages.contains(YAML.readTree("[3, 4]")), stages.toString());
    }

    @Test
    void theSameSeedGivesTheSameCandidatesAndAnotherSeedOthers() throws Exception {
        assertEquals(random(space(SPACE), 3, 20), random(space(SPACE), 3, 20));
        assertNotEquals(random(space(SPACE), 3, 20), random(space(SPACE), 4, 20));
    }

    @Test
    @SuppressWarnings("unchecked")
    void gridTakesEveryCombinationWithRangeEndsExactly() throws Exception {
        SearchSpace s = space("""
                train.learning_rate: {log_uniform: [1.0e-3, 4.0e-3]}
                model.fusion_stages: {choices: [[1, 2, 3, 4], [2, 3, 4], [3, 4], [4]]}
                """);
        GridSearchCandidateGenerator g = new GridSearchCandidateGenerator(s, 2, GridSearchCandidateGenerator.Mode.Sequential, null);
        assertEquals(8, g.getTotalNumCandidates());
        Set<String> seen = new HashSet<>();
        while (g.hasMoreCandidates()) {
            Map<String, JsonNode> v = (Map<String, JsonNode>) g.getCandidate().getValue();
            double lr = v.get("train.learning_rate").asDouble();
            assertTrue(lr == 1e-3 || lr == 4e-3, "grid ends are the range's ends, rounded to 4 digits: " + lr);
            assertTrue(seen.add(lr + " " + v.get("model.fusion_stages")), "twice: " + v);
        }
        assertEquals(8, seen.size());
        assertEquals("train.learning_rate log-uniform [0.001, 0.004], model.fusion_stages in [[1,2,3,4], [2,3,4], [3,4], [4]]",
                s.toString());
        assertEquals(List.of(0.001, 0.004), s.extremes().get("train.learning_rate").stream().map(JsonNode::asDouble).toList());
        assertEquals(4, s.extremes().get("model.fusion_stages").size());
    }

    @Test
    void badSpacesAreRefusedWithTheirPlace() {
        record Bad(String yaml, String message) {
        }
        for (Bad b : List.of(
                new Bad("learning_rate: {uniform: [0, 1]}", "'learning_rate' is not a config path"),
                new Bad("optim.lr: {uniform: [0, 1]}", "'optim.lr' is not a config path"),
                new Bad("train.learning_rate: {log_uniform: [0, 1]}", "space.train.learning_rate: log_uniform needs lo > 0"),
                new Bad("train.learning_rate: {uniform: [2, 1]}", "needs lo < hi"),
                new Bad("train.learning_rate: {gaussian: [2, 1]}", "unknown kind 'gaussian'"),
                new Bad("train.warmup_steps: {integers: [1.5, 3]}", "two whole numbers"),
                new Bad("model.fusion_stages: {choices: []}", "non-empty list"),
                new Bad("train.learning_rate: 0.001", "expected one of"),
                new Bad("{}", "'space:' must map"))) {
            MqnException e = assertThrows(MqnException.class, () -> space(b.yaml), b.yaml);
            assertTrue(e.getMessage().contains(b.message) && e.getMessage().startsWith("test.yaml"), b.yaml + " -> " + e.getMessage());
        }
    }

    @Test
    void applySetsDottedPathsInACopy() throws Exception {
        ObjectNode base = (ObjectNode) YAML.readTree("model: {swin: {embed_dim: 32}, fusion_stages: [1, 2, 3, 4]}\ntrain: {learning_rate: 0.002}\n");
        String before = base.toString();
        ObjectNode t = SearchSpace.apply(base, Map.of("model.swin.embed_dim", YAML.readTree("48"),
                "train.learning_rate", YAML.readTree("0.001"), "train.augment.flip", YAML.readTree("true"),
                "model.fusion_stages", YAML.readTree("[3, 4]")));
        assertEquals(before, base.toString(), "the base is not changed");
        assertEquals(48, t.at("/model/swin/embed_dim").asInt());
        assertEquals(0.001, t.at("/train/learning_rate").asDouble());
        assertTrue(t.at("/train/augment/flip").asBoolean(), "missing mappings are created");
        assertEquals("[3,4]", t.at("/model/fusion_stages").toString());
        MqnException e = assertThrows(MqnException.class, () -> SearchSpace.apply(base, Map.of("train.learning_rate.x", YAML.readTree("1"))));
        assertTrue(e.getMessage().contains("learning_rate is not a mapping"), e.getMessage());
    }
}
