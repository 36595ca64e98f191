package org.mqn4j.pretrain;

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
import java.util.function.Function;

/**
 * The PNG of a pretraining run, drawn with Java2D as {@link org.mqn4j.train.TrainingPlot} draws a
 * training run: the training loss per step on the left; on the right the held-out accuracies per
 * evaluation (solid) with their constant-guess baselines (dashed): masked token blue, attributes
 * green, category orange.
 */
public final class PretrainPlot {
    private static final int W = 1000;
    private static final int H = 400;
    private static final Color MLM = new Color(30, 90, 200);
    private static final Color ATTRIBUTE = new Color(30, 150, 60);
    private static final Color CATEGORY = new Color(230, 120, 20);

    private PretrainPlot() {
    }

    /** Draws {@code file} (atomically). */
    public static void write(Path file, List<Double> stepLosses, List<PretrainMetrics> history) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);

        double maxLoss = 1e-6;
        for (double l : stepLosses) {
            if (Double.isFinite(l)) {
                maxLoss = Math.max(maxLoss, l);
            }
        }
        long steps = Math.max(1, stepLosses.size());
        PlotPanel left = new PlotPanel(60, 30, W / 2 - 90, H - 80, 0, steps, 0, maxLoss * 1.05);
        left.axes(g, "training loss (sum of the weighted objectives)", "step");
        List<double[]> perStep = new ArrayList<>();
        for (int i = 0; i < stepLosses.size(); i++) {
            perStep.add(new double[]{i + 1, stepLosses.get(i)});
        }
        left.line(g, perStep, new Color(150, 150, 150), 1f, false);

        long lastStep = history.isEmpty() ? 1 : Math.max(1, history.get(history.size() - 1).step());
        PlotPanel right = new PlotPanel(W / 2 + 50, 30, W / 2 - 90, H - 80, 0, lastStep, 0, 100);
        right.axes(g, "held-out accuracy % (dashed: its baseline)", "");
        legend(g, W / 2 + 50, H - 18);
        series(g, right, history, m -> m.maskedLm(), MLM);
        if (!history.isEmpty()) {
            for (String a : history.get(0).attributes().keySet()) {
                series(g, right, history, m -> m.attributes().get(a), ATTRIBUTE);
            }
        }
        series(g, right, history, PretrainMetrics::category, CATEGORY);
        g.dispose();
        GraphFile.writeAtomically(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }

    private static void legend(Graphics2D g, int x, int y) {
        String[] names = {"masked token", "attribute", "category"};
        Color[] colours = {MLM, ATTRIBUTE, CATEGORY};
        g.setColor(Color.DARK_GRAY);
        g.drawString("step", x, y);
        for (int i = 0; i < names.length; i++) {
            int at = x + 60 + i * 120;
            g.setColor(colours[i]);
            g.fillRect(at, y - 9, 18, 8);
            g.setColor(Color.DARK_GRAY);
            g.drawString(names[i], at + 24, y);
        }
    }

    private static void series(Graphics2D g, PlotPanel p, List<PretrainMetrics> history,
                               Function<PretrainMetrics, PretrainMetrics.Score> score, Color c) {
        List<double[]> acc = new ArrayList<>();
        List<double[]> base = new ArrayList<>();
        for (PretrainMetrics m : history) {
            PretrainMetrics.Score s = score.apply(m);
            if (s != null) {
                acc.add(new double[]{m.step(), 100 * s.accuracy()});
                base.add(new double[]{m.step(), 100 * s.baseline()});
            }
        }
        p.line(g, acc, c, 2.5f, false);
        p.line(g, base, c, 1.5f, true);
    }
}
