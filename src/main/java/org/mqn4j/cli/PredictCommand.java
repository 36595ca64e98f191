package org.mqn4j.cli;

import org.mqn4j.data.BadImageException;
import org.mqn4j.data.ImageDecoder;
import org.mqn4j.io.GraphFile;
import org.mqn4j.serve.MaskImages;
import org.mqn4j.serve.MqnSegmenter;
import org.mqn4j.serve.Segmentation;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mqn predict}: one image and title to a mask, a cut-out and an overlay, and the tokens that mattered. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Segment the product a title names in one image.",
                "Writes <name>-mask.png (0/255), <name>-cutout.png (transparent background) and <name>-overlay.png "
                        + "to --out, and prints the 5 title tokens the predicted pixels attended to most "
                        + "(VQL attention averaged over the mask and the fused stages)."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Export file, run directory or run graph file (.sd).")
    Path model;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image (JPEG, PNG, ...).")
    Path image;

    @Option(names = "--title", required = true, paramLabel = "TEXT", description = "The product title.")
    String title;

    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "Output folder (default: current).")
    Path out;

    @Override
    public Integer call() {
        BufferedImage img;
        try {
            img = ImageDecoder.read(image);
        } catch (BadImageException e) {
            throw new MqnException("cannot use image " + image + ": " + e.getMessage(), e);
        }
        Segmentation s = MqnSegmenter.of(ModelSource.load(model)).segment(img, title);
        String name = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path mask = out.resolve(name + "-mask.png");
        Path cut = out.resolve(name + "-cutout.png");
        Path over = out.resolve(name + "-overlay.png");
        png(s.maskImage(), mask);
        png(MaskImages.cutout(img, s.mask()), cut);
        png(MaskImages.overlay(img, s.mask()), over);
        System.out.printf(Locale.ROOT, "product pixels: %d of %d (%.1f%%)%n", s.area(), (long) s.width() * s.height(),
                100.0 * s.area() / ((long) s.width() * s.height()));
        if (s.relevance().length > 0) {
            System.out.println("title tokens the mask attended to most (share of VQL attention):");
            for (Segmentation.TokenScore t : s.topTokens(5, true)) {
                System.out.printf(Locale.ROOT, "  %-12s %.3f%n", t.token(), t.score());
            }
        } else {
            System.out.println("(this model variant has no VQL attention: no token scores)");
        }
        System.out.println("wrote " + mask + ", " + cut + ", " + over);
        return 0;
    }

    private static void png(BufferedImage img, Path file) {
        GraphFile.writeAtomically(file, tmp -> ImageIO.write(img, "png", tmp.toFile()));
    }
}
