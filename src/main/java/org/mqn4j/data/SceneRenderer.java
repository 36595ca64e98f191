package org.mqn4j.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Draws a {@link Scene} at a given size: an antialiased RGB photo, and beside it an object-id buffer
 * drawn without antialiasing in the same geometry (fill and outline), from which the target's mask —
 * its visible pixels — is read. Deterministic and thread-safe (no state).
 */
public final class SceneRenderer {

    private static final BasicStroke THIN = new BasicStroke(1f);

    /** A rendered scene: the photo and the id of the front object at each pixel (0 background, item i → i+1). */
    public record Rendering(BufferedImage image, int[] ids, int size) {
        /** The visible pixels of item {@code i} as 0/255 bytes, row-major. */
        public byte[] mask(int item) {
            byte[] m = new byte[ids.length];
            for (int p = 0; p < ids.length; p++) {
                m[p] = ids[p] == item + 1 ? (byte) 255 : 0;
            }
            return m;
        }
    }

    public Rendering render(Scene scene, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        Backgrounds.draw(scene.background(), px, size);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        for (Scene.Item item : scene.items()) {
            Shape shape = shape(item, size);
            if (item.shadowAlpha() > 0) {
                g.dispose();
                shadow(px, size, item, shape);
                g = img.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            }
            drawItem(g, item, shape, size);
        }
        g.dispose();
        light(scene.lighting(), px, size);
        return new Rendering(img, ids(scene, size), size);
    }

    /** The object-id buffer alone (cheap): 0 background, item i → i+1, front object wins. */
    public int[] ids(Scene scene, int size) {
        BufferedImage buf = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = buf.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        for (int i = 0; i < scene.items().size(); i++) {
            Scene.Item item = scene.items().get(i);
            fillId(g, item, shape(item, size), size, i + 1);
        }
        g.dispose();
        int[] px = ((DataBufferInt) buf.getRaster().getDataBuffer()).getData();
        int[] ids = new int[px.length];
        for (int p = 0; p < px.length; p++) {
            ids[p] = px[p] & 0xFFFF;
        }
        return ids;
    }

    /** Item {@code i}'s whole silhouette as if nothing were in front of it. */
    public boolean[] silhouette(Scene scene, int i, int size) {
        BufferedImage buf = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = buf.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        Scene.Item item = scene.items().get(i);
        fillId(g, item, shape(item, size), size, 1);
        g.dispose();
        int[] px = ((DataBufferInt) buf.getRaster().getDataBuffer()).getData();
        boolean[] out = new boolean[px.length];
        for (int p = 0; p < px.length; p++) {
            out[p] = (px[p] & 0xFFFF) == 1;
        }
        return out;
    }

    private static void fillId(Graphics2D g, Scene.Item item, Shape shape, int size, int id) {
        g.setColor(new Color(0, (id >> 8) & 255, id & 255));
        // Java2D fills through a different rasteriser once a wide stroke is set: reset it so that a
        // shape covers the same pixels whatever was drawn before it.
        g.setStroke(THIN);
        g.fill(shape);
        if (item.outline() > 0) {
            g.setStroke(new BasicStroke((float) (item.outline() * size), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(shape);
        }
    }

    /** Unit-square → pixel transform of an item (flip, scale, rotate about the centre). */
    static AffineTransform placement(Scene.Item item, int size) {
        AffineTransform t = new AffineTransform();
        t.translate(item.cx() * size, item.cy() * size);
        t.rotate(item.angle());
        t.scale(item.w() * size * (item.flip() ? -1 : 1), item.h() * size);
        t.translate(-0.5, -0.5);
        return t;
    }

    static Shape shape(Scene.Item item, int size) {
        return placement(item, size).createTransformedShape(unitShape(item));
    }

    private static Shape unitShape(Scene.Item item) {
        if (item.isProduct()) {
            double[] xs = item.category().xs();
            double[] ys = item.category().ys();
            Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
            p.moveTo(xs[0], ys[0]);
            for (int i = 1; i < xs.length; i++) {
                p.lineTo(xs[i], ys[i]);
            }
            p.closePath();
            return p;
        }
        return switch (item.occluderShape()) {
            case 0 -> new Ellipse2D.Double(0, 0, 1, 1);
            case 1 -> new RoundRectangle2D.Double(0, 0, 1, 1, 0.3, 0.3);
            default -> {
                Path2D.Double leaf = new Path2D.Double();
                leaf.moveTo(0, 0.5);
                leaf.quadTo(0.5, -0.1, 1, 0.5);
                leaf.quadTo(0.5, 1.1, 0, 0.5);
                leaf.closePath();
                yield leaf;
            }
        };
    }

    private static void drawItem(Graphics2D g, Scene.Item item, Shape shape, int size) {
        Color base = new Color(item.fillRgb());
        AffineTransform t = placement(item, size);
        // Shading: a linear gradient across the object, lighter on one side, darker on the other.
        double dx = Math.cos(item.shadeAngle()) * 0.5;
        double dy = Math.sin(item.shadeAngle()) * 0.5;
        Point2D p1 = t.transform(new Point2D.Double(0.5 - dx, 0.5 - dy), null);
        Point2D p2 = t.transform(new Point2D.Double(0.5 + dx, 0.5 + dy), null);
        g.setPaint(new GradientPaint(p1, scale(base, 1 + item.shade() / 2), p2, scale(base, 1 - item.shade() / 2)));
        g.fill(shape);
        Shape oldClip = g.getClip();
        g.clip(shape);
        if (item.label() > 0) {
            Shape band = t.createTransformedShape(new Rectangle2D.Double(-0.1, item.labelY(), 1.2, item.label()));
            g.setPaint(new Color(0xF0ECDF));
            g.fill(band);
            g.setPaint(scale(base, 0.55));
            g.setStroke(new BasicStroke((float) Math.max(1, size * 0.006)));
            double ly = item.labelY() + item.label() * 0.5;
            g.draw(t.createTransformedShape(new Rectangle2D.Double(0.3, ly, 0.4, 0.0)));
        }
        if (item.highlight() > 0) {
            Point2D c = t.transform(new Point2D.Double(item.hx(), item.hy()), null);
            float radius = (float) (0.3 * Math.min(item.w(), item.h()) * size);
            if (radius > 0.5f) {
                g.setPaint(new RadialGradientPaint(c, radius, new float[] {0f, 1f},
                        new Color[] {new Color(255, 255, 255, (int) (255 * item.highlight())), new Color(255, 255, 255, 0)},
                        MultipleGradientPaint.CycleMethod.NO_CYCLE));
                g.fill(shape);
            }
        }
        g.setClip(oldClip);
        if (item.outline() > 0) {
            g.setPaint(scale(base, item.outlineDark()));
            g.setStroke(new BasicStroke((float) (item.outline() * size), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(shape);
        }
    }

    /** A soft drop shadow: the shape offset, blurred (two box passes) and multiplied into the image. */
    private static void shadow(int[] px, int size, Scene.Item item, Shape shape) {
        BufferedImage a = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = a.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.translate(item.shadowDx() * size, item.shadowDy() * size);
        g.fill(shape);
        g.dispose();
        int[] src = ((DataBufferInt) a.getRaster().getDataBuffer()).getData();
        float[] v = new float[src.length];
        for (int p = 0; p < v.length; p++) {
            v[p] = (src[p] & 255) / 255f;
        }
        int radius = Math.max(1, (int) Math.round(item.shadowSoft() * size));
        v = boxBlur(boxBlur(v, size, radius), size, radius);
        float alpha = (float) item.shadowAlpha();
        for (int p = 0; p < px.length; p++) {
            if (v[p] > 0.002f) {
                float k = 1 - alpha * v[p];
                int c = px[p];
                px[p] = (Math.round(((c >> 16) & 255) * k) << 16) | (Math.round(((c >> 8) & 255) * k) << 8)
                        | Math.round((c & 255) * k);
            }
        }
    }

    /** Separable box blur (horizontal then vertical, running sums) with edge clamping. */
    static float[] boxBlur(float[] v, int size, int radius) {
        float[] tmp = new float[v.length];
        float[] out = new float[v.length];
        float norm = 1f / (2 * radius + 1);
        for (int line = 0; line < size; line++) {
            blurLine(v, tmp, line * size, 1, size, radius, norm);
        }
        for (int line = 0; line < size; line++) {
            blurLine(tmp, out, line, size, size, radius, norm);
        }
        return out;
    }

    private static void blurLine(float[] in, float[] out, int start, int stride, int n, int radius, float norm) {
        float s = 0;
        for (int d = -radius; d <= radius; d++) {
            s += in[start + Math.max(0, Math.min(n - 1, d)) * stride];
        }
        for (int i = 0; i < n; i++) {
            out[start + i * stride] = s * norm;
            s += in[start + Math.min(n - 1, i + radius + 1) * stride] - in[start + Math.max(0, i - radius) * stride];
        }
    }

    /** Global light: colour gains, contrast, brightness, a linear light ramp and sensor noise. */
    private static void light(Scene.Lighting l, int[] px, int size) {
        SynthRandom noise = l.noiseSigma() > 0 ? new SynthRandom(l.noiseSeed()) : null;
        double rx = Math.cos(l.rampAngle());
        double ry = Math.sin(l.rampAngle());
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = ((x + 0.5) / size - 0.5) * rx + ((y + 0.5) / size - 0.5) * ry; // in [-0.71, 0.71]
                double ramp = 1 + l.rampStrength() * u * 1.4;
                int p = y * size + x;
                int c = px[p];
                double n = noise != null ? noise.gaussian() * l.noiseSigma() : 0;
                double r = (((((c >> 16) & 255) * l.gainR() - 128) * l.contrast() + 128 + l.brightness()) * ramp) + n;
                double g = (((((c >> 8) & 255) * l.gainG() - 128) * l.contrast() + 128 + l.brightness()) * ramp) + n;
                double b = ((((c & 255) * l.gainB() - 128) * l.contrast() + 128 + l.brightness()) * ramp) + n;
                px[p] = SceneSampler.rgb(r, g, b);
            }
        }
        if (l.blur() > 0) {
            soften(px, size, l.blur());
        }
    }

    /** Mixes each pixel with the mean of its 3×3 neighbourhood by {@code amount} (0 none, 1 full box blur). */
    private static void soften(int[] px, int size, double amount) {
        int[] src = px.clone();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sr = 0, sg = 0, sb = 0, n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx, yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < size && yy < size) {
                            int c = src[yy * size + xx];
                            sr += (c >> 16) & 255;
                            sg += (c >> 8) & 255;
                            sb += c & 255;
                            n++;
                        }
                    }
                }
                int c = src[y * size + x];
                px[y * size + x] = SceneSampler.rgb(((c >> 16) & 255) * (1 - amount) + amount * sr / n,
                        ((c >> 8) & 255) * (1 - amount) + amount * sg / n, (c & 255) * (1 - amount) + amount * sb / n);
            }
        }
    }

    private static Color scale(Color c, double f) {
        return new Color(SceneSampler.clampByte(c.getRed() * f), SceneSampler.clampByte(c.getGreen() * f),
                SceneSampler.clampByte(c.getBlue() * f));
    }
}
