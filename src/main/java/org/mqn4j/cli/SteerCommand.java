package org.mqn4j.cli;

import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.eval.TitleSwapCheck;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.serve.Segmentation;
import org.mqn4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mqn steer}: does the title steer the mask? ({@link TitleSwapCheck}) */
@Command(name = "steer", mixinStandardHelpOptions = true,
        description = {"Does the title steer the mask? Generates synthetic scenes with distractors and segments each "
                + "twice: with its own title (names the target) and with a title naming a distractor; prints how often "
                + "the mask follows each request (IoU >= 0.5 with the named product and above every other product)."})
public final class SteerCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Export file, run directory or run graph file (.sd).")
    Path model;

    @Option(names = "--scenes", defaultValue = "200", description = "Scenes to ask about (default: ${DEFAULT-VALUE}).")
    int scenes;

    @Option(names = "--seed", defaultValue = "7", description = "Generator seed; use one the model was not trained on (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", description = "Image side in pixels (default: the model's input size).")
    Integer size;

    @Option(names = "--batch", defaultValue = "16", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        MqnSegmenter segmenter = MqnSegmenter.of(ModelSource.load(model));
        TitleSwapCheck.Result r = run(segmenter, scenes, seed, size == null ? segmenter.imageSize() : size, batch, true);
        System.out.print(r.table());
        return 0;
    }

    /** The check on {@code scenes} generated scenes of split "test" with generator seed {@code seed}. */
    public static TitleSwapCheck.Result run(MqnSegmenter segmenter, int scenes, long seed, int size, int batch, boolean progress) {
        SyntheticProducts products = new SyntheticProducts(Vocabulary.standard(), new SynthConfig(size, seed, 0.9f));
        Progress bar = progress ? new Progress("steer", scenes) : null;
        try {
            return TitleSwapCheck.run(products, "test", scenes, Math.max(1, batch / 2), (images, titles) -> {
                List<MqnSegmenter.Request> reqs = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    reqs.add(new MqnSegmenter.Request(images.get(i), titles.get(i)));
                }
                List<boolean[]> out = new ArrayList<>();
                for (Segmentation s : segmenter.segment(reqs)) {
                    out.add(s.mask());
                }
                return out;
            }, bar);
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
