package org.mqn4j.util;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.Locale;

/**
 * A plot area of a PNG chart with data coordinates (x0..x1, y0..y1) drawn into the pixel rectangle
 * (x, y, w, h): axes with grid and tick labels, solid or dashed polylines. Shared by the training
 * and pretraining plots.
 */
public record PlotPanel(int x, int y, int w, int h, double x0, double x1, double y0, double y1) {
    public int px(double v) {
        return x + (int) Math.round((v - x0) / (x1 - x0) * w);
    }

    public int py(double v) {
        return y + h - (int) Math.round((v - y0) / (y1 - y0) * h);
    }

    public void axes(Graphics2D g, String title, String xLabel) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y, w, h);
        g.drawString(title, x, y - 10);
        g.drawString(xLabel, x + w / 2 - 10, y + h + 32);
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

    public void line(Graphics2D g, List<double[]> pts, Color c, float width, boolean dashed) {
        if (pts.isEmpty()) {
            return;
        }
        g.setColor(c);
        g.setStroke(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 5f}, 0f)
                : new BasicStroke(width));
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
        if (!dashed && pts.size() <= 50) {
            for (double[] p : pts) {
                g.fillOval(px(p[0]) - 3, py(p[1]) - 3, 6, 6);
            }
        }
    }

    public static String label(double v) {
        return Math.abs(v) >= 10 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }
}
