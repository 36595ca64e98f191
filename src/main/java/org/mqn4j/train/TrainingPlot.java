package org.mqn4j.train;

import org.mqn4j.io.GraphFile;
import org.mqn4j.util.PlotPanel;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PNG of a run's curves, drawn with Java2D: training loss per step (grey) and per epoch (blue)
 * on the left, validation mIoU (green) and oIoU (orange) per epoch on the right.
 */
public final class TrainingPlot {
    private static final int W = 1000;
    private static final int H = 400;

    private TrainingPlot() {
    }

    /** Draws the curves of a state's history and step losses into {@code file} (atomically). */
    public static void write(Path file, List<EpochMetrics> history, List<Double> stepLosses) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);

        long steps = Math.max(1, stepLosses.size());
        double maxLoss = 1e-6;
        for (double l : stepLosses) {
            if (Double.isFinite(l)) {
                maxLoss = Math.max(maxLoss, l);
            }
        }
        PlotPanel left = new PlotPanel(60, 30, W / 2 - 90, H - 80, 0, steps, 0, maxLoss * 1.05);
        left.axes(g, "training loss", "step");
        List<double[]> perStep = new ArrayList<>();
        for (int i = 0; i < stepLosses.size(); i++) {
            perStep.add(new double[]{i + 1, stepLosses.get(i)});
        }
        left.line(g, perStep, new Color(180, 180, 180), 1f, false);
        List<double[]> perEpoch = new ArrayList<>();
        long done = 0;
        for (EpochMetrics e : history) {
            done += e.steps();
            perEpoch.add(new double[]{done, e.trainLoss()});
        }
        left.line(g, perEpoch, new Color(30, 90, 200), 2.5f, false);

        double epochs = Math.max(1, history.isEmpty() ? 1 : history.get(history.size() - 1).epoch());
        PlotPanel right = new PlotPanel(W / 2 + 50, 30, W / 2 - 90, H - 80, 0, epochs, 0, 100);
        right.axes(g, "validation (%): mIoU green, oIoU orange", "epoch");
        List<double[]> miou = new ArrayList<>();
        List<double[]> oiou = new ArrayList<>();
        for (EpochMetrics e : history) {
            if (e.valMeanIoU() != null) {
                miou.add(new double[]{e.epoch(), e.valMeanIoU()});
                oiou.add(new double[]{e.epoch(), e.valOverallIoU()});
            }
        }
        right.line(g, miou, new Color(30, 150, 60), 2.5f, false);
        right.line(g, oiou, new Color(230, 120, 20), 2.5f, false);
        g.dispose();
        GraphFile.writeAtomically(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }
}
