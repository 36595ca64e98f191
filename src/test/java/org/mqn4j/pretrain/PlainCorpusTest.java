package org.mqn4j.pretrain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.io.SafetensorsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A corpus of plain titles (no labels) trains the masked LM alone. */
class PlainCorpusTest {

    @Test
    void onlyTheMaskedLmHead(@TempDir Path dir) {
        List<TitleRecord> plain = new ArrayList<>();
        for (TitleRecord r : new SyntheticTitleCorpus(Vocabulary.standard(), 4).records(40)) {
            plain.add(TitleRecord.plain(r.title()));
        }
        plain.add(TitleRecord.plain(""));   // no word to mask
        PretrainConfig cfg = PretrainConfig.builder().batchSize(8).maxSteps(3).evalEvery(10).warmupSteps(0)
                .heldOutFraction(0.2).seed(1).build();
        TextPretrainer.Result r = new TextPretrainer(TextPretrainerTest.tinyModel(), cfg, plain, dir, null, false).run();
        assertEquals(3, r.steps());
        PretrainMetrics last = r.last();
        assertTrue(last.maskedLm().count() > 0);
        assertTrue(last.attributes().isEmpty());
        assertNull(last.category());
        try (SafetensorsFile heads = SafetensorsFile.open(dir.resolve(TextPretrainer.HEADS_FILE))) {
            assertTrue(heads.names().contains("cls.predictions.bias"));
            assertFalse(heads.names().stream().anyMatch(n -> n.startsWith("heads.")), heads.names().toString());
        }
    }
}
