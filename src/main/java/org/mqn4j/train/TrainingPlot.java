package org.mqn4j.train;

import org.mqn4j.io.GraphFile;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        Panel left = new Panel(60, 30, W / 2 - 90, H - 80, 0, steps, 0, maxLoss * 1.05);
        left.axes(g, "training loss", "step");
        List<double[]> perStep = new ArrayList<>();
        for (int i = 0; i < stepLosses.size(); i++) {
            perStep.add(new double[]{i + 1, stepLosses.get(i)});
        }
        left.line(g, perStep, new Color(180, 180, 180), 1f);
        List<double[]> perEpoch = new ArrayList<>();
        long done = 0;
        for (EpochMetrics e : history) {
            done += e.steps();
            perEpoch.add(new double[]{done, e.trainLoss()});
        }
        left.line(g, perEpoch, new Color(30, 90, 200), 2.5f);

        double epochs = Math.max(1, history.isEmpty() ? 1 : history.get(history.size() - 1).epoch());
        Panel right = new Panel(W / 2 + 50, 30, W / 2 - 90, H - 80, 0, epochs, 0, 100);
        right.axes(g, "validation (%): mIoU green, oIoU orange", "epoch");
        List<double[]> miou = new ArrayList<>();
        List<double[]> oiou = new ArrayList<>();
        for (EpochMetrics e : history) {
            if (e.valMeanIoU() != null) {
                miou.add(new double[]{e.epoch(), e.valMeanIoU()});
                oiou.add(new double[]{e.epoch(), e.valOverallIoU()});
            }
        }
        right.line(g, miou, new Color(30, 150, 60), 2.5f);
        right.line(g, oiou, new Color(230, 120, 20), 2.5f);
        g.dispose();
        GraphFile.writeAtomically(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }

    /** A plot area with data coordinates. */
    private record Panel(int x, int y, int w, int h, double x0, double x1, double y0, double y1) {
        int px(double v) {
            return x + (int) Math.round((v - x0) / (x1 - x0) * w);
        }

        int py(double v) {
            return y + h - (int) Math.round((v - y0) / (y1 - y0) * h);
        }

        void axes(Graphics2D g, String title, String xLabel) {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x, y, w, h);
            g.drawString(title, x, y - 10);
            g.drawString(xLabel, x + w / 2 - 10, y + h + 35);
            for (int i = 0; i <= 4; i++) {
                double vx = x0 + (x1 - x0) * i / 4;
                double vy = y0 + (y1 - y0) * i / 4;
                g.setColor(new Color(230, 230, 230));
                g.drawLine(x, py(vy), x + w, py(vy));
                g.setColor(Color.DARK_GRAY);
                g.drawString(label(vx), px(vx) - 10, y + h + 16);
                g.drawString(label(vy), x - 50, py(vy) + 5);
            }
        }

        void line(Graphics2D g, List<double[]> pts, Color c, float width) {
            if (pts.isEmpty()) {
                return;
            }
            g.setColor(c);
            g.setStroke(new BasicStroke(width));
            Path2D.Double path = new Path2D.Double();
            boolean first = true;
            for (double[] p : pts) {
                if (!Double.isFinite(p[1])) {
                    continue;
                }
                if (first) {
                    path.moveTo(px(p[0]), py(p[1]));
                    first = false;
                } else {
                    path.lineTo(px(p[0]), py(p[1]));
                }
            }
            g.draw(path);
            if (pts.size() <= 50) {
                for (double[] p : pts) {
                    g.fillOval(px(p[0]) - 3, py(p[1]) - 3, 6, 6);
                }
            }
        }

        static String label(double v) {
            return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                    : String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
