package org.mqn4j.train;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.eval.ModelInputs;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.io.GraphFile;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.text.TextConfig;
import org.mqn4j.text.WordPieceVocab;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer on the real network (a tiny MQN with stochastic depth): resume ends where a whole run
 * ends. Slow (about 15-30 s: three gradient graphs of the whole network are built).
 */
@Tag("slow")
class MqnModelTrainingTest {

    static MqnConfig tiny() {
        SwinConfig swin = SwinConfig.builder().embedDim(4).depths(1, 1, 1, 1).numHeads(1, 1, 2, 2).windowSize(2)
                .mlpRatio(1).stochasticDepth(0.3).build();
        TextConfig text = TextConfig.builder().hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(16)
                .vocabSize(WordPieceVocab.defaultVocab().size()).maxPositionEmbeddings(8).typeVocabSize(1).build();
        return MqnConfig.builder().imageSize(32).maxTitleLength(8).swin(swin).text(text).decoderDim(4).seed(3).build();
    }

    @Test
    void resumedMqnRunEqualsWholeRun(@TempDir Path dir) {
        Path data = TinyData.write(dir.resolve("data"), 8, 4, 9);
        MqnModel model = new MqnModel(tiny());
        TrainConfig two = TrainConfig.builder().epochs(2).batchSize(4).learningRate(1e-3).warmupSteps(2).seed(5)
                .dataThreads(1).build();
        Trainer.Result whole = new Trainer(two, model, data, dir.resolve("whole"), BadRecordPolicy.FAIL, null, false).train(false);
        new Trainer(two.toBuilder().epochs(1).build(), model, data, dir.resolve("split"), BadRecordPolicy.FAIL, null, false)
                .train(false);
        Trainer.Result resumed = new Trainer(two, model, data, dir.resolve("split"), BadRecordPolicy.FAIL, null, false).train(true);
        assertEquals(4, whole.steps());
        for (int e = 0; e < 2; e++) {
            assertEquals(whole.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 1e-6);
        }
        assertEquals(whole.finalMetrics().scores(), resumed.finalMetrics().scores());
        SameDiff a = GraphFile.load(dir.resolve("whole/final.sd"), false);
        SameDiff b = GraphFile.load(dir.resolve("split/final.sd"), false);
        int compared = 0;
        for (SDVariable v : a.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                double d = v.getArr().sub(b.getArrForVarName(v.name())).amaxNumber().doubleValue();
                assertTrue(d <= 1e-6, v.name() + " differs by " + d);
                compared++;
            }
        }
        assertTrue(compared > 50, "compared " + compared + " variables");
        assertTrue(a.hasVariable(ModelInputs.PROBABILITY));
    }
}
