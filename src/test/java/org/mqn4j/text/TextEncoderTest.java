package org.mqn4j.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder against the plain-torch HuggingFace reference of tools/text_fixtures.py. */
class TextEncoderTest {

    static Path fixture(String flavour, String file) throws URISyntaxException {
        return Path.of(TextEncoderTest.class.getResource("/fixtures/text/" + flavour + "/" + file).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta"})
    void matchesTorchReference(String flavour) throws Exception {
        TextConfig config = TextConfig.load(fixture(flavour, "config.json"));
        TextVerifier.Result r = TextVerifier.verify(config, fixture(flavour, "weights.safetensors"), fixture(flavour, "io.safetensors"));
        System.out.printf("%s: max abs %.3g, relative %.3g over %d tokens%n", flavour, r.maxAbsError(), r.relativeError(), r.tokens());
        assertTrue(r.load().missing().isEmpty(), () -> "missing " + r.load().missing());
        assertTrue(r.load().unused().isEmpty(), () -> "unused " + r.load().unused());
        assertTrue(r.relativeError() < 1e-5, "relative error " + r.relativeError());
        assertTrue(r.maxAbsError() < 1e-4, "max abs error " + r.maxAbsError());
        assertTrue(r.tokens() > 12, "padding must leave some tokens to compare");
    }

    /** The same weights under the old TF-era names with a model prefix, plus a pooler the encoder does not use. */
    @Test
    void loadsPrefixedGammaBetaNames(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> renamed = new java.util.LinkedHashMap<>();
        try (org.mqn4j.io.SafetensorsFile f = org.mqn4j.io.SafetensorsFile.open(fixture("bert", "weights.safetensors"))) {
            for (String name : f.names()) {
                String k = "bert." + name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta");
                renamed.put(k, f.get(name).dup());
            }
        }
        renamed.put("bert.pooler.dense.weight", org.nd4j.linalg.factory.Nd4j.zeros(32, 32));
        Path w = dir.resolve("renamed.safetensors");
        org.mqn4j.io.SafetensorsWriter.write(w, renamed, java.util.Map.of());
        TextConfig config = TextConfig.load(fixture("bert", "config.json"));
        TextVerifier.Result r = TextVerifier.verify(config, w, fixture("bert", "io.safetensors"));
        assertTrue(r.relativeError() < 1e-5, "relative error " + r.relativeError());
        assertEquals(java.util.List.of("bert.pooler.dense.weight"), r.load().unused());
        assertTrue(r.load().missing().isEmpty());
    }

    @Test
    void flavoursFromConfig() throws Exception {
        TextConfig bert = TextConfig.load(fixture("bert", "config.json"));
        TextConfig roberta = TextConfig.load(fixture("roberta", "config.json"));
        assertEquals(TextConfig.Flavour.BERT, bert.flavour());
        assertEquals(1e-12, bert.layerNormEps());
        assertEquals(TextConfig.Flavour.ROBERTA, roberta.flavour());
        assertEquals(1e-5, roberta.layerNormEps());
        assertEquals(1, roberta.padTokenId());
        assertEquals(roberta.maxPositionEmbeddings() - 2, roberta.maxSequenceLength());
    }

    @Test
    void checkpointNames() {
        assertEquals("encoder.layer.3.attention.self.query.weight", TextCheckpoint.toEncoderName("bert.encoder.layer.3.attention.self.query.weight"));
        assertEquals("embeddings.LayerNorm.weight", TextCheckpoint.toEncoderName("roberta.embeddings.LayerNorm.gamma"));
        assertEquals("encoder.layer.0.output.LayerNorm.bias", TextCheckpoint.toEncoderName("encoder.layer.0.output.LayerNorm.beta"));
        assertEquals(null, TextCheckpoint.toEncoderName("bert.pooler.dense.weight"));
        assertEquals(null, TextCheckpoint.toEncoderName("cls.predictions.bias"));
        assertEquals(null, TextCheckpoint.toEncoderName("bert.embeddings.position_ids"));
    }
}
