package org.mqn4j.data;

/**
 * Draws the backdrop of a product photo into a packed-RGB pixel array: plain, gradient, light
 * texture, table top with wood grain, or soft blobs. Deterministic from {@link Scene.Background}.
 */
final class Backgrounds {
    private Backgrounds() {
    }

    static void draw(Scene.Background bg, int[] px, int size) {
        SynthRandom r = new SynthRandom(bg.detail());
        double ax = Math.cos(bg.angle());
        double ay = Math.sin(bg.angle());
        switch (bg.kind()) {
            case PLAIN -> java.util.Arrays.fill(px, bg.rgb1());
            case GRADIENT -> {
                boolean radial = r.chance(0.35);
                double cx = r.uniform(0.2, 0.8);
                double cy = r.uniform(0.1, 0.6);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double u = (x + 0.5) / size;
                        double v = (y + 0.5) / size;
                        double t = radial ? Math.min(1, Math.sqrt((u - cx) * (u - cx) + (v - cy) * (v - cy)) * 1.3)
                                : 0.5 + ((u - 0.5) * ax + (v - 0.5) * ay) * 0.71;
                        px[y * size + x] = mix(bg.rgb1(), bg.rgb2(), t);
                    }
                }
            }
            case NOISE -> {
                int cells = Math.max(2, (int) bg.stripes());
                float[] grid = new float[(cells + 1) * (cells + 1)];
                for (int i = 0; i < grid.length; i++) {
                    grid[i] = (float) r.uniform(-1, 1);
                }
                double amp = r.uniform(4, 14);
                double fine = r.uniform(0, 5);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double n = valueNoise(grid, cells, (x + 0.5) / size, (y + 0.5) / size) * amp
                                + r.uniform(-fine, fine);
                        px[y * size + x] = add(bg.rgb1(), n);
                    }
                }
            }
            case TABLE -> {
                double horizon = bg.horizon();
                double phase = r.uniform(0, 2 * Math.PI);
                double wobble = r.uniform(2, 8);
                double grain = r.uniform(3, 9);
                for (int y = 0; y < size; y++) {
                    double v = (y + 0.5) / size;
                    for (int x = 0; x < size; x++) {
                        double u = (x + 0.5) / size;
                        int c;
                        if (v < horizon) {
                            c = mix(bg.rgb1(), darker(bg.rgb1(), 0.9), v / Math.max(horizon, 1e-6));
                        } else {
                            double depth = (v - horizon) / Math.max(1 - horizon, 1e-6);
                            double s = Math.sin(2 * Math.PI * (v * bg.stripes() + 0.15 * Math.sin(u * wobble + phase)));
                            c = add(bg.rgb2(), s * grain + (depth - 0.5) * 10 + r.uniform(-2, 2));
                        }
                        px[y * size + x] = c;
                    }
                }
            }
            case BLOBS -> {
                java.util.Arrays.fill(px, bg.rgb1());
                int n = r.between(3, 8);
                for (int b = 0; b < n; b++) {
                    double bx = r.uniform(-0.1, 1.1);
                    double by = r.uniform(-0.1, 1.1);
                    double rad = r.uniform(0.15, 0.5);
                    double a = r.uniform(0.15, 0.45);
                    int col = SceneSampler.rgb(r.uniform(190, 255), r.uniform(190, 255), r.uniform(190, 255));
                    for (int y = 0; y < size; y++) {
                        double dy = (y + 0.5) / size - by;
                        for (int x = 0; x < size; x++) {
                            double dx = (x + 0.5) / size - bx;
                            double d2 = (dx * dx + dy * dy) / (rad * rad);
                            if (d2 < 1) {
                                double w = a * (1 - d2) * (1 - d2);
                                px[y * size + x] = mix(px[y * size + x], col, w);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Bilinear value noise in [-1, 1] on a (cells+1)² grid over the unit square. */
    private static double valueNoise(float[] grid, int cells, double u, double v) {
        double gx = u * cells;
        double gy = v * cells;
        int x0 = Math.min(cells - 1, (int) gx);
        int y0 = Math.min(cells - 1, (int) gy);
        double fx = gx - x0;
        double fy = gy - y0;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        int w = cells + 1;
        double top = grid[y0 * w + x0] * (1 - fx) + grid[y0 * w + x0 + 1] * fx;
        double bottom = grid[(y0 + 1) * w + x0] * (1 - fx) + grid[(y0 + 1) * w + x0 + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    static int mix(int a, int b, double t) {
        return SceneSampler.rgb(((a >> 16) & 255) * (1 - t) + ((b >> 16) & 255) * t,
                ((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t, (a & 255) * (1 - t) + (b & 255) * t);
    }

    private static int add(int c, double d) {
        return SceneSampler.rgb(((c >> 16) & 255) + d, ((c >> 8) & 255) + d, (c & 255) + d);
    }

    private static int darker(int c, double f) {
        return SceneSampler.rgb(((c >> 16) & 255) * f, ((c >> 8) & 255) * f, (c & 255) * f);
    }
}
