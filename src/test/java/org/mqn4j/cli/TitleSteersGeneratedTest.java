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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The title steers the mask, on generated product images. The model is the one named by the system
 * property {@code mqn.steer.model} (an export, run directory or .sd, e.g. {@code runs/long/best.sd}
 * from the long run), or else the demo recipe ({@code conf/mqn_tiny.yaml}, with the grounding loss)
 * trained here with fusion at all four stages and its Swin trained too and batches of 8 at rate 2e-3 (as the demo was until session 6; the
 * measurements below are of that recipe) for 2,400 steps on the demo's 4,000 generated images, about 20 minutes on 2 cores. It is asked about 200 scenes it never saw (generator seed 7) with their own
 * title and with a title that names a distractor. The mask must move to the named distractor: with
 * the swapped title it overlaps the distractor far more than the no-longer-named target, and both
 * requests of a scene are followed in a share of scenes a title-blind model cannot reach (it follows
 * at most one of the two). Measured (results/title-grounding.md, results/long-run.md): the 2,400-step
 * model passes (IoU 53.8 against 22.7, both followed in 24%), the long-run model too (61.1 against
 * 19.1, 33%); the 1,200-step demo model does not yet (45.4 against 29.6, 12%).
 */
@Tag("slow")
class TitleSteersGeneratedTest {
    static final int STEPS = 2400;

    @Test
    void aTitleNamingADistractorSelectsTheDistractor(@TempDir Path dir) throws IOException {
        String given = System.getProperty("mqn.steer.model");
        Path model = given != null && !given.isBlank() ? Path.of(given) : trainSteerRecipe(dir);
        MqnSegmenter segmenter = MqnSegmenter.of(ModelSource.load(model));
        TitleSwapCheck.Result r = SteerCommand.run(segmenter, 200, 7, segmenter.imageSize(), 16, false);
        System.err.print(r.table());
        assertTrue(r.swappedIoU() > 2 * r.swappedTargetIoU(),
                "with a title naming a distractor the mask should cover the distractor, not the target\n" + r.table());
        assertTrue(r.bothRate() >= 15, "both requests followed in only " + r.bothRate() + "% of scenes\n" + r.table());
    }

    private static Path trainSteerRecipe(Path dir) throws IOException {
        Path conf = Path.of("conf/mqn_tiny.yaml");
        MqnConfig model = MqnConfig.load(conf).toBuilder().fusionStages(1, 2, 3, 4).build();
        TrainConfig train = TrainConfig.load(conf).toBuilder().epochs(5).maxSteps(STEPS).batchSize(8).learningRate(2e-3).warmupSteps(100)
                .freezeSwin(false).timeBudgetMinutes(0)
                .checkpointEvery(0).build();
        Path data = dir.resolve("data");
        new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(),
                SynthConfig.builder().size(model.imageSize()).seed(0).build()), 2)
                .write(data, Map.of("train", 4000, "val", 200), false);
        Path run = dir.resolve("run");
        new Trainer(train, new MqnModel(model), data, run, BadRecordPolicy.FAIL, null, false).train(false);
        // the run directory as mqn train leaves it: ModelSource reads the network from config.yaml beside final.sd
        Files.writeString(run.resolve("config.yaml"), model.toYaml());
        return run.resolve("final.sd");
    }
}
