package org.mqn4j.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.fusion.MqnNetwork;
import org.mqn4j.io.LoadReport;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.TextConfig;
import org.mqn4j.text.WordPieceVocab;
import org.mqn4j.train.MqnModel;
import org.nd4j.autodiff.samediff.SameDiff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny pretraining run (40 steps): the loss falls, the outputs are written, the encoder loads into the MQN. */
class TextPretrainerTest {
    @TempDir
    static Path dir;
    static MqnConfig model;
    static TextPretrainer.Result result;
    static JsonNode metrics;

    /** A small MQN whose text encoder has the built-in vocabulary (the tokenizer's) and 32 tokens. */
    static MqnConfig tinyModel() {
        SwinConfig swin = SwinConfig.builder().embedDim(4).depths(1, 1, 1, 1).numHeads(1, 1, 2, 2).windowSize(2)
                .mlpRatio(1).build();
        TextConfig text = TextConfig.builder().hiddenSize(16).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(32)
                .vocabSize(WordPieceVocab.defaultVocab().size()).maxPositionEmbeddings(32).typeVocabSize(1).build();
        return MqnConfig.builder().imageSize(36).maxTitleLength(32).swin(swin).text(text).decoderDim(4).seed(3).build();
    }

    @BeforeAll
    static void pretrain() throws Exception {
        model = tinyModel();
        List<TitleRecord> corpus = new SyntheticTitleCorpus(Vocabulary.standard(), 1).records(400);
        PretrainConfig cfg = PretrainConfig.builder().batchSize(8).learningRate(5e-3).warmupSteps(5).maxSteps(40)
                .evalEvery(20).heldOutFraction(0.1).maxHeldOut(40).seed(0).build();
        result = new TextPretrainer(model, cfg, new ArrayList<>(corpus), dir.resolve("run"), null, false).run();
        metrics = new ObjectMapper().readTree(dir.resolve("run/metrics.json").toFile());
    }

    @Test
    void lossFalls() {
        JsonNode losses = metrics.get("step_losses");
        assertEquals(40, losses.size());
        double first = 0;
        double last = 0;
        for (int i = 0; i < 5; i++) {
            first += losses.get(i).asDouble() / 5;
            last += losses.get(losses.size() - 1 - i).asDouble() / 5;
        }
        System.out.printf("loss: first 5 steps %.3f, last 5 steps %.3f%n", first, last);
        assertTrue(last < 0.9 * first, "loss " + first + " -> " + last);
        // the initial masked-LM loss is near ln(vocabulary): the logits start small
        double mlm0 = metrics.get("evaluations").get(0).get("masked_lm").get("loss").asDouble();
        assertEquals(Math.log(model.text().vocabSize()), mlm0, 0.5);
    }

    @Test
    void writesMetricsPlotAndCheckpoints() {
        JsonNode evals = metrics.get("evaluations");
        assertEquals(List.of(0L, 20L, 40L), List.of(evals.get(0).get("step").asLong(), evals.get(1).get("step").asLong(),
                evals.get(2).get("step").asLong()));
        for (JsonNode e : evals) {
            assertTrue(e.get("masked_lm").get("count").asLong() > 0);
            assertEquals(40, e.get("attributes").get("color").get("count").asLong());
            assertEquals(40, e.get("category").get("count").asLong());
            double base = e.get("category").get("baseline").asDouble();
            assertTrue(base > 0 && base < 1);
        }
        assertEquals(40, result.steps());
        for (String f : List.of("text_encoder.safetensors", "heads.safetensors", "labels.json", "curves.png")) {
            assertTrue(Files.isRegularFile(dir.resolve("run").resolve(f)), f);
        }
        try (SafetensorsFile heads = SafetensorsFile.open(dir.resolve("run/heads.safetensors"))) {
            assertTrue(heads.names().containsAll(Set.of("cls.predictions.transform.dense.weight",
                    "cls.predictions.transform.LayerNorm.weight", "cls.predictions.bias", "cls.predictions.decoder.weight",
                    "heads.attribute.color.query", "heads.category.classifier.weight")), heads.names().toString());
        }
    }

    @Test
    void encoderLoadsIntoTheMqn() {
        Path encoder = dir.resolve("run").resolve(TextPretrainer.ENCODER_FILE);
        MqnNetwork mqn = MqnNetwork.build(model, false);
        LoadReport r = mqn.loadText(encoder);
        System.out.println(r.describe(3));
        assertEquals(new HashSet<>(mqn.textVariables()), new HashSet<>(r.loaded()), "every encoder tensor matched");
        assertTrue(r.unused().isEmpty(), "unused " + r.unused());
        assertTrue(r.missing().stream().noneMatch(mqn.textVariables()::contains));
        // the same path as `mqn train` with train.text_weights
        SameDiff sd = new MqnModel(model).build(true);
        LoadReport t = new MqnModel(model).loadTextWeights(sd, encoder);
        assertEquals(r.loaded().size(), t.loaded().size());
        try (SafetensorsFile f = SafetensorsFile.open(encoder)) {
            String w = "encoder.layer.0.attention.self.query.weight";
            assertEquals(f.get(w), sd.getArrForVarName(w));
        }
    }
}
