package org.mqn4j.text;

import org.junit.jupiter.api.Test;
import org.mqn4j.ops.Params;
import org.mqn4j.util.MqnException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextConfigTest {

    static long parameterCount(TextConfig cfg, int seqLen) {
        SameDiff sd = SameDiff.create();
        new TextEncoder(cfg, seqLen).build(new Params(sd, DataType.FLOAT, 0));
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }

    @Test
    void baseHasBertBaseChineseParameterCount() {
        TextConfig base = TextConfig.load(Path.of("conf/text_base.yaml"));
        assertEquals(TextConfig.base(TextConfig.Flavour.BERT), base);
        // bert-base-chinese: 102,267,648 parameters, of which the pooler (768·768 + 768) is not part of the encoder.
        assertEquals(102_267_648L - 590_592L, parameterCount(base, 64));
    }

    @Test
    void smallConfigFitsTheDefaultVocabulary() {
        TextConfig small = TextConfig.load(Path.of("conf/text_small.yaml"));
        assertEquals(WordPieceVocab.defaultVocab().size(), small.vocabSize());
        assertEquals(WordPieceVocab.defaultVocab().id(WordPieceVocab.PAD), small.padTokenId());
        assertTrue(small.maxSequenceLength() >= BertTokenizer.DEFAULT_MAX_LENGTH);
    }

    @Test
    void badConfigsNameTheProblem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"model_type\": \"gpt2\"}");
        assertTrue(assertThrows(MqnException.class, () -> TextConfig.load(f)).getMessage().contains("gpt2"));
        Files.writeString(f, "{\"hidden_size\": 100, \"num_attention_heads\": 12}");
        assertTrue(assertThrows(MqnException.class, () -> TextConfig.load(f)).getMessage().contains("hidden_size 100"));
        Files.writeString(f, "{\"hidden_act\": \"relu\"}");
        assertTrue(assertThrows(MqnException.class, () -> TextConfig.load(f)).getMessage().contains("relu"));
        assertThrows(MqnException.class, () -> TextConfig.load(dir.resolve("missing.json")));
    }

    @Test
    void jsonRoundTrip(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        TextConfig c = TextConfig.base(TextConfig.Flavour.ROBERTA);
        Path f = dir.resolve("config.json");
        Files.writeString(f, c.toJson());
        assertEquals(c, TextConfig.load(f));
    }
}
