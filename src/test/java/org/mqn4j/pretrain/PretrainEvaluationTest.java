package org.mqn4j.pretrain;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.text.BertTokenizer;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics of a network that always answers one constant: its accuracy is that constant's frequency. */
class PretrainEvaluationTest {

    @Test
    void constantPredictorsScoreTheirFrequency() {
        var model = TextPretrainerTest.tinyModel();
        List<TitleRecord> records = new SyntheticTitleCorpus(Vocabulary.standard(), 9).records(120);
        PretrainLabels labels = PretrainLabels.of(records);
        PretrainNetwork net = PretrainNetwork.build(model.text(), model.maxTitleLength(), labels, 1, 1, 1, 0);
        BertTokenizer tokenizer = TextPretrainer.tokenizer(model);
        WholeWordMasker masker = new WholeWordMasker(tokenizer, WordSegmenter.of(Vocabulary.standard(), null), 0.15);
        SameDiff sd = net.sameDiff();
        int se = tokenizer.vocab().id("色");
        int red = labels.attributes().get("color").indexOf("red");
        int none = labels.categories().indexOf(TitleRecord.NONE);
        sd.getArrForVarName("cls.predictions.bias").putScalar(se, 100.0);
        sd.getArrForVarName("heads.attribute.color.classifier.bias").putScalar(red, 100.0);
        sd.getArrForVarName("heads.category.classifier.bias").putScalar(none, 100.0);

        PretrainMetrics m = new PretrainEvaluation(net, masker, records, 0, 16).evaluate(0, Double.NaN, 0);
        System.out.println(m.summary());
        // masked LM: always 色, the most frequent masked token in titles full of 红色, 蓝色, …
        assertEquals("色", m.maskedLm().majority());
        assertEquals(m.maskedLm().baseline(), m.maskedLm().accuracy(), 1e-12);
        assertTrue(m.maskedLm().baseline() > 0.02 && m.maskedLm().baseline() < 0.5);
        // colour: always red, so the accuracy is the share of red titles, counted here from the records
        long reds = records.stream().filter(r -> "red".equals(r.attribute("color"))).count();
        assertEquals((double) reds / records.size(), m.attributes().get("color").accuracy(), 1e-12);
        assertEquals(records.size(), m.attributes().get("color").count());
        // category: always none
        long nones = records.stream().filter(r -> TitleRecord.NONE.equals(r.category())).count();
        assertEquals((double) nones / records.size(), m.category().accuracy(), 1e-12);
        long mostCommon = labels.categories().stream()
                .mapToLong(c -> records.stream().filter(r -> c.equals(r.category())).count()).max().orElseThrow();
        assertEquals((double) mostCommon / records.size(), m.category().baseline(), 1e-12);
    }
}
