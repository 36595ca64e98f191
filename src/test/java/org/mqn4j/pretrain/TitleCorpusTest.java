package org.mqn4j.pretrain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.util.MqnException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Corpus lines, their errors, and the labels of the synthetic corpus against its titles. */
class TitleCorpusTest {

    @Test
    void readsPlainAndJsonLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.jsonl");
        Files.writeString(f, "\uFEFF红色杯子 包邮\n\n{\"title\": \"蓝色帽子\", \"attributes\": {\"color\": \"blue\"}, \"category\": \"cap\"}\n"
                + "{\"title\": \"帽子\", \"attributes\": {}}\n", StandardCharsets.UTF_8);
        List<TitleRecord> r = TitleCorpus.read(f);
        assertEquals(3, r.size());
        assertEquals("红色杯子 包邮", r.get(0).title());
        assertNull(r.get(0).attribute("color"), "a plain line has no attribute labels");
        assertEquals("blue", r.get(1).attribute("color"));
        assertEquals("cap", r.get(1).category());
        assertEquals(TitleRecord.NONE, r.get(2).attribute("color"), "an attribute missing from the object is not named");
        assertNull(r.get(2).category());

        PretrainLabels labels = PretrainLabels.of(r);
        assertEquals(Map.of("color", List.of("none", "blue")), labels.attributes());
        assertEquals(List.of("none", "cap"), labels.categories());
        assertEquals(-1, labels.attributeIndex("color", r.get(0)));
        assertEquals(1, labels.attributeIndex("color", r.get(1)));
        assertEquals(0, labels.attributeIndex("color", r.get(2)));
        assertEquals(-1, labels.categoryIndex(r.get(2)));

        Path back = dir.resolve("back.jsonl");
        TitleCorpus.write(back, r);
        assertEquals(r, TitleCorpus.read(back));
    }

    @Test
    void badLinesNameFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "ok\n{\"title\": 3}\n", StandardCharsets.UTF_8);
        MqnException e = assertThrows(MqnException.class, () -> TitleCorpus.read(f));
        assertTrue(e.getMessage().contains("bad.jsonl:2") && e.getMessage().contains("title"), e.getMessage());
        Files.writeString(f, "{\"title\": \"x\", \"attributes\": [1]}\n", StandardCharsets.UTF_8);
        e = assertThrows(MqnException.class, () -> TitleCorpus.read(f));
        assertTrue(e.getMessage().contains("bad.jsonl:1") && e.getMessage().contains("attributes"), e.getMessage());
        Files.writeString(f, "{\"title\": \"x\"\n", StandardCharsets.UTF_8);
        e = assertThrows(MqnException.class, () -> TitleCorpus.read(f));
        assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
        Files.writeString(f, "\n\n", StandardCharsets.UTF_8);
        e = assertThrows(MqnException.class, () -> TitleCorpus.read(f));
        assertTrue(e.getMessage().contains("no title"), e.getMessage());
    }

    /** ProductTitle's rule: a named attribute's word is in the title, an unnamed category's word is not. */
    @Test
    void syntheticLabelsFollowTheTitle() {
        Vocabulary v = Vocabulary.standard();
        SyntheticTitleCorpus corpus = new SyntheticTitleCorpus(v, 5);
        int noneColour = 0;
        int noneCategory = 0;
        for (int i = 0; i < 2000; i++) {
            TitleRecord r = corpus.record(i);
            String colour = r.attribute(SyntheticTitleCorpus.COLOR);
            assertTrue(!colour.equals(TitleRecord.NONE) || !r.category().equals(TitleRecord.NONE), "names something");
            if (!colour.equals(TitleRecord.NONE)) {
                assertTrue(r.title().contains(v.colour(colour).zh()), r.toString());
            } else {
                noneColour++;
            }
            for (Vocabulary.Category c : v.categories()) {
                boolean named = c.en().equals(r.category());
                assertEquals(named, r.title().contains(c.zh()), r.toString());
            }
            noneCategory += r.category().equals(TitleRecord.NONE) ? 1 : 0;
        }
        assertTrue(noneColour > 100 && noneCategory > 100, "both attributes are sometimes unnamed");
        assertEquals(corpus.record(17), new SyntheticTitleCorpus(v, 5).record(17), "a function of (seed, index)");
    }
}
