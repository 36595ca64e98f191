package org.mqn4j.data;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The title rule on thousands of sampled scenes over many seeds. The rule: (1) every distractor
 * differs from the target in an attribute the title names; (2) each named attribute's Chinese word is
 * in the title; an attribute not named is absent; (3) no other category word is in the title;
 * (4) every other colour word stands in a gift phrase 送{colour}{gift_item}, never the target's
 * colour; (5) at most 100 characters; about 10% name the target only from character 24 on.
 */
class SceneSamplerTest {
    private static final Vocabulary V = Vocabulary.standard();
    private static final int SEEDS = 25;
    private static final int PER_SEED = 400;

    @Test
    void everyTitleIdentifiesItsTarget() {
        SceneSampler sampler = new SceneSampler(V);
        int late = 0;
        int total = 0;
        int gifts = 0;
        int giftIsDistractorColour = 0;
        Map<String, Integer> names = new HashMap<>();
        int[] distractors = new int[4];
        for (int seed = 0; seed < SEEDS; seed++) {
            for (int i = 0; i < PER_SEED; i++) {
                Scene s = sampler.sample(SynthRandom.forSample(seed, "train", i));
                String title = s.title();
                String where = "seed " + seed + " scene " + i + ": " + title;
                Scene.Item t = s.targetItem();
                boolean nc = s.titleNames().contains("color");
                boolean nk = s.titleNames().contains("category");
                assertTrue(nc || nk, where);
                // (1) uniqueness
                for (Scene.Item d : s.distractors()) {
                    boolean differs = (nc && !d.colour().equals(t.colour())) || (nk && !d.category().equals(t.category()));
                    assertTrue(differs, where + " distractor " + d.colour().en() + " " + d.category().en());
                }
                // (2) + (3) categories
                for (Vocabulary.Category k : V.categories()) {
                    boolean expected = nk && k.equals(t.category());
                    assertEquals(expected, title.contains(k.zh()), where + " category word " + k.zh());
                }
                // (2) + (4) colours
                int giftsHere = 0;
                for (Vocabulary.Colour c : V.colours()) {
                    boolean isTarget = c.equals(t.colour());
                    for (int at = title.indexOf(c.zh()); at >= 0; at = title.indexOf(c.zh(), at + 1)) {
                        if (isTarget) {
                            assertTrue(nc, where + " names the unnamed target colour " + c.zh());
                            continue;
                        }
                        assertTrue(at > 0 && title.charAt(at - 1) == '送', where + " colour " + c.zh() + " outside a gift phrase");
                        String rest = title.substring(at + c.zh().length());
                        assertTrue(V.giftItems().stream().anyMatch(rest::startsWith), where + " gift phrase without item");
                        giftsHere++;
                        gifts++;
                        if (s.distractors().stream().anyMatch(d -> d.colour().equals(c))) {
                            giftIsDistractorColour++;
                        }
                    }
                    if (isTarget && nc) {
                        assertTrue(title.contains(c.zh()), where + " misses the named colour");
                    }
                }
                assertEquals(s.giftColours().size(), giftsHere, where + " gift colours " + s.giftColours());
                assertFalse(s.giftColours().contains(t.colour().en()), where);
                // (5)
                assertTrue(title.length() <= ProductTitle.MAX_CHARS, where);
                int first = ProductTitle.firstNamed(title, nc ? t.colour().zh() : null, nk ? t.category().zh() : null);
                if (first >= ProductTitle.LATE_INDEX) {
                    late++;
                }
                names.merge(String.join("+", new java.util.TreeSet<>(s.titleNames())), 1, Integer::sum);
                distractors[s.distractors().size()]++;
                total++;
            }
        }
        double lateFraction = late / (double) total;
        assertTrue(lateFraction > 0.07 && lateFraction < 0.14, "late fraction " + lateFraction);
        assertTrue(gifts > total / 3, "gift phrases: " + gifts);
        assertTrue(giftIsDistractorColour > gifts / 5, "gift colours that a distractor has: " + giftIsDistractorColour);
        assertEquals(3, names.size(), names.toString());
        for (int n : names.values()) {
            assertTrue(n > total / 8, names.toString());
        }
        for (int k = 0; k < 4; k++) {
            assertTrue(distractors[k] > total / 8 && distractors[k] < total / 2, "distractors " + java.util.Arrays.toString(distractors));
        }
    }

    @Test
    void theTargetIsNotSingledOutByLayout() {
        SceneSampler sampler = new SceneSampler(V);
        int scenes = 0;
        int largest = 0;
        int central = 0;
        int front = 0;
        for (int i = 0; i < 4000; i++) {
            Scene s = sampler.sample(SynthRandom.forSample(7, "test", i));
            List<Scene.Item> products = s.items().stream().filter(Scene.Item::isProduct).toList();
            if (products.size() < 2) {
                continue;
            }
            Scene.Item t = s.targetItem();
            scenes++;
            if (products.stream().allMatch(p -> p.area() <= t.area())) {
                largest++;
            }
            double dt = Math.hypot(t.cx() - 0.5, t.cy() - 0.5);
            if (products.stream().allMatch(p -> Math.hypot(p.cx() - 0.5, p.cy() - 0.5) >= dt)) {
                central++;
            }
            if (products.get(products.size() - 1) == t) {
                front++;
            }
        }
        // With 1-3 distractors drawn alike, chance is between 1/4 and 1/2 (about 0.4).
        for (int count : new int[] {largest, central, front}) {
            double f = count / (double) scenes;
            assertTrue(f > 0.25 && f < 0.55, "fraction " + f + " of " + scenes);
        }
    }

    @Test
    void streamsDependOnSeedSplitAndIndex() {
        SceneSampler sampler = new SceneSampler(V);
        String a = sampler.sample(SynthRandom.forSample(1, "train", 5)).title();
        assertEquals(a, sampler.sample(SynthRandom.forSample(1, "train", 5)).title());
        assertNotEquals(a, sampler.sample(SynthRandom.forSample(2, "train", 5)).title());
        assertNotEquals(a, sampler.sample(SynthRandom.forSample(1, "test", 5)).title());
        assertNotEquals(a, sampler.sample(SynthRandom.forSample(1, "train", 6)).title());
    }

    /**
     * Retargeting a scene to each of its products: the title rule above holds for the new target among all the
     * other products (the old target included), the title names follow {@link SceneSampler#sample}'s mix, and a
     * product with a twin (same colour and category) cannot be asked for.
     */
    @Test
    void retargetedTitlesSingleOutTheirProduct() {
        SceneSampler sampler = new SceneSampler(V);
        Map<String, Integer> names = new HashMap<>();
        int asked = 0;
        int twins = 0;
        for (int i = 0; i < 2000; i++) {
            Scene s = sampler.sample(SynthRandom.forSample(3, "train", i));
            SynthRandom r = SynthRandom.forSample(3, "retarget", i);
            for (int k = 0; k < s.items().size(); k++) {
                Scene.Item p = s.items().get(k);
                if (!p.isProduct()) {
                    int occluder = k;
                    assertThrows(IllegalArgumentException.class, () -> sampler.retarget(s, occluder, r));
                    continue;
                }
                Optional<Scene> o = sampler.retarget(s, k, r);
                boolean twin = s.items().stream().filter(q -> q != p && q.isProduct())
                        .anyMatch(q -> q.colour().equals(p.colour()) && q.category().equals(p.category()));
                assertEquals(twin, o.isEmpty(), "scene " + i + " item " + k);
                if (twin) {
                    twins++;
                    continue;
                }
                Scene t = o.get();
                String where = "scene " + i + " item " + k + ": " + t.title();
                assertEquals(k, t.target());
                assertEquals(s.items(), t.items());
                boolean nc = t.titleNames().contains("color");
                boolean nk = t.titleNames().contains("category");
                for (Scene.Item d : t.distractors()) {
                    assertTrue((nc && !d.colour().equals(p.colour())) || (nk && !d.category().equals(p.category())), where);
                }
                for (Vocabulary.Category c : V.categories()) {
                    assertEquals(nk && c.equals(p.category()), t.title().contains(c.zh()), where + " category " + c.zh());
                }
                assertEquals(nc, t.title().contains(p.colour().zh()), where);
                assertFalse(t.giftColours().contains(p.colour().en()), where);
                names.merge(String.join("+", new java.util.TreeSet<>(t.titleNames())), 1, Integer::sum);
                asked++;
            }
        }
        assertTrue(twins > 0, "no product with a twin in 2000 scenes");
        assertEquals(3, names.size(), names.toString());
        for (int n : names.values()) {
            assertTrue(n > asked / 8, names.toString());
        }
        // a twin made by hand: a copy of the target cannot be told apart from it
        Scene s = sampler.sample(SynthRandom.forSample(3, "train", 0));
        List<Scene.Item> items = new java.util.ArrayList<>(s.items());
        items.add(s.targetItem());
        Scene withTwin = new Scene(s.background(), s.lighting(), items, s.target(), s.title(), s.titleNames(),
                s.giftColours());
        assertTrue(sampler.retarget(withTwin, s.target(), new SynthRandom(1)).isEmpty());
        assertTrue(sampler.retarget(withTwin, items.size() - 1, new SynthRandom(1)).isEmpty());
    }
}
