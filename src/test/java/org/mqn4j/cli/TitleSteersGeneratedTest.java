package org.mqn4j.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.eval.TitleSwapCheck;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.train.MqnModel;
import org.mqn4j.train.TrainConfig;
import org.mqn4j.train.Trainer;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The title steers the mask, on generated product images: the demo recipe ({@code conf/mqn_tiny.yaml},
 * 1,200 steps on 4,000 generated images, about 10 minutes on a free core) is trained, then asked about
 * scenes it never saw (another generator seed) with their own title and with a title that names a
 * distractor. The mask must move to the named distractor: it follows the swapped title far more often
 * than a title-blind model can (which follows it only where it picks the distractor anyway, and then
 * fails the scene's own title), and overlaps the named distractor more than the no-longer-named target.
 */
@Tag("slow")
class TitleSteersGeneratedTest {

    @Test
    void aTitleNamingADistractorSelectsTheDistractor(@TempDir Path dir) {
        Path conf = Path.of("conf/mqn_tiny.yaml");
        MqnConfig model = MqnConfig.load(conf);
        TrainConfig train = TrainConfig.load(conf).toBuilder().timeBudgetMinutes(0).checkpointEvery(0).build();
        Path data = dir.resolve("data");
        new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(),
                SynthConfig.builder().size(model.imageSize()).seed(0).build()), 2)
                .write(data, Map.of("train", 4000, "val", 200), false);
        Path run = dir.resolve("run");
        new Trainer(train, new MqnModel(model), data, run, BadRecordPolicy.FAIL, null, false).train(false);

        MqnSegmenter segmenter = MqnSegmenter.of(ModelSource.load(run.resolve("best.sd")));
        TitleSwapCheck.Result r = SteerCommand.run(segmenter, 100, 7, model.imageSize(), 16, false);
        System.err.print(r.table());
        assertTrue(r.bothRate() >= 25, "both requests followed in only " + r.bothRate() + "% of scenes\n" + r.table());
        assertTrue(r.swappedIoU() > 2 * r.swappedTargetIoU(),
                "with a title naming a distractor the mask should cover the distractor, not the target\n" + r.table());
    }
}
