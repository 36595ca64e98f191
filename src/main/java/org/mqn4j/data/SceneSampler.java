package org.mqn4j.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Samples a {@link Scene}: the target and 0-3 distractors (each differing from the target in at least
 * one attribute the title names), their placement, looks and drawing order, neutral occluders, the
 * background, the light and the title. Pure: no pixels, so the title rule can be checked on many
 * scenes cheaply. Thread-safe (holds only the vocabulary).
 */
public final class SceneSampler {
    static final String COLOR = "color";
    static final String CATEGORY = "category";

    /** Neutral occluder colours, far from every product colour. */
    private static final int[] OCCLUDER_RGB = {0xF5F0E1, 0xE1D2B4, 0xCDAA78, 0xC8C8CD, 0xFAFAFA, 0xDCE6E6};
    /** Table tops: light woods, beige, pale grey, white marble. */
    private static final int[] TABLE_RGB = {0xD2AA78, 0xE6C896, 0xC8A582, 0xDCD2BE, 0xBEBEBE, 0xF0F0EB, 0xB4966E};

    private final Vocabulary vocab;
    private final ProductTitle titles;

    public SceneSampler(Vocabulary vocab) {
        this.vocab = vocab;
        this.titles = new ProductTitle(vocab);
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    public Scene sample(SynthRandom r) {
        List<Vocabulary.Colour> colours = vocab.colours();
        List<Vocabulary.Category> cats = vocab.categories();
        Vocabulary.Colour tc = r.pick(colours);
        Vocabulary.Category tk = r.pick(cats);

        int k = r.weighted(0.25, 0.30, 0.25, 0.20);
        List<Vocabulary.Colour> dColours = new ArrayList<>();
        List<Vocabulary.Category> dCats = new ArrayList<>();
        for (int d = 0; d < k; d++) {
            int mode = r.weighted(0.35, 0.35, 0.30);
            Vocabulary.Colour c = mode == 0 ? tc : other(colours, tc, r);
            Vocabulary.Category g = mode == 1 ? tk : other(cats, tk, r);
            dColours.add(c);
            dCats.add(g);
        }
        Set<String> names = names(tc, tk, dColours, dCats, r);
        ProductTitle.Title title = titles.write(tc, tk, names, dColours, r);

        // Products in random drawing order: the target is not always in front.
        List<Scene.Item> items = new ArrayList<>();
        int targetSlot = r.nextInt(k + 1);
        double shadowAngle = r.uniform(0.2, Math.PI - 0.2); // light from above: shadows fall downwards
        double shadowLen = r.uniform(0.0, 0.035);
        int layout = r.weighted(0.35, 0.3, 0.35); // spread out, anywhere, clustered (overlapping)
        double crowd = 1.0 - 0.07 * k;
        int target = -1;
        for (int slot = 0, d = 0; slot <= k; slot++) {
            boolean isTarget = slot == targetSlot;
            Vocabulary.Colour c = isTarget ? tc : dColours.get(d);
            Vocabulary.Category g = isTarget ? tk : dCats.get(d);
            if (!isTarget) {
                d++;
            }
            if (isTarget) {
                target = items.size();
            }
            items.add(product(c, g, crowd, layout, items, shadowAngle, shadowLen, r));
        }
        int occluders = r.weighted(0.55, 0.33, 0.12);
        for (int o = 0; o < occluders; o++) {
            int at = r.nextInt(items.size() + 1);
            if (at <= target) {
                target++;
            }
            items.add(at, occluder(shadowAngle, shadowLen, r));
        }
        return new Scene(background(r), lighting(r), items, target, title.text(), names, title.giftColours());
    }

    /**
     * The same photo asking for another of its products: {@code item} becomes the target and a new title names
     * it by the rule of {@link #sample} (one attribute where that alone singles it out, sometimes both; both
     * where neither does). Empty when another product has both its colour and its category: no title could
     * single it out.
     */
    public Optional<Scene> retarget(Scene scene, int item, SynthRandom r) {
        Scene.Item p = scene.items().get(item);
        if (!p.isProduct()) {
            throw new IllegalArgumentException("item " + item + " of the scene is not a product");
        }
        List<Vocabulary.Colour> colours = new ArrayList<>();
        List<Vocabulary.Category> cats = new ArrayList<>();
        for (int j = 0; j < scene.items().size(); j++) {
            Scene.Item o = scene.items().get(j);
            if (j == item || !o.isProduct()) {
                continue;
            }
            if (o.colour().equals(p.colour()) && o.category().equals(p.category())) {
                return Optional.empty();
            }
            colours.add(o.colour());
            cats.add(o.category());
        }
        Set<String> names = names(p.colour(), p.category(), colours, cats, r);
        ProductTitle.Title title = titles.write(p.colour(), p.category(), names, colours, r);
        return Optional.of(new Scene(scene.background(), scene.lighting(), scene.items(), item, title.text(), names,
                title.giftColours()));
    }

    /** Which attributes the title names: one alone where it identifies the target, else both. */
    private static Set<String> names(Vocabulary.Colour tc, Vocabulary.Category tk, List<Vocabulary.Colour> dColours,
                                     List<Vocabulary.Category> dCats, SynthRandom r) {
        boolean colourAlone = !dColours.contains(tc);
        boolean categoryAlone = !dCats.contains(tk);
        Set<String> both = new LinkedHashSet<>(List.of(COLOR, CATEGORY));
        if (colourAlone && categoryAlone) {
            return switch (r.weighted(0.55, 0.225, 0.225)) {
                case 0 -> both;
                case 1 -> Set.of(COLOR);
                default -> Set.of(CATEGORY);
            };
        }
        if (colourAlone || categoryAlone) {
            return r.chance(0.6) ? both : Set.of(colourAlone ? COLOR : CATEGORY);
        }
        return both;
    }

    private static <T> T other(List<T> items, T not, SynthRandom r) {
        T t;
        do {
            t = r.pick(items);
        } while (t.equals(not));
        return t;
    }

    private static Scene.Item product(Vocabulary.Colour c, Vocabulary.Category g, double crowd, int layout,
                                      List<Scene.Item> placed, double shadowAngle, double shadowLen, SynthRandom r) {
        // Sizes from small to nearly full frame (a lone product is often shot large).
        double s = crowd == 1.0 && r.chance(0.4) ? r.uniform(0.5, 0.85) : r.uniform(0.16, 0.58) * crowd;
        double aspect = Math.exp(r.uniform(-0.3, 0.3));
        double w = s * Math.sqrt(aspect);
        double h = s / Math.sqrt(aspect);
        double angle = r.chance(0.85) ? clamp(r.gaussian() * 0.18, -0.5, 0.5) : r.uniform(-Math.PI, Math.PI);
        double[] centre = place(w, h, angle, layout, placed, r);
        double bright = r.uniform(0.95, 1.05);
        int fill = rgb(c.r() * bright + r.gaussian() * 5, c.g() * bright + r.gaussian() * 5,
                c.b() * bright + r.gaussian() * 5);
        boolean outline = r.chance(0.45);
        boolean label = r.chance(0.25);
        boolean highlight = r.chance(0.45);
        boolean shadow = r.chance(0.65);
        return new Scene.Item(c, g, -1, fill, centre[0], centre[1], w, h, angle, r.chance(0.5),
                r.uniform(-Math.PI, Math.PI), r.uniform(0.0, 0.3),
                highlight ? r.uniform(0.15, 0.45) : 0, r.uniform(0.25, 0.75), r.uniform(0.2, 0.6),
                label ? r.uniform(0.08, 0.18) : 0, r.uniform(0.4, 0.65),
                outline ? r.uniform(0.004, 0.014) : 0, r.chance(0.85) ? r.uniform(0.45, 0.8) : r.uniform(1.2, 1.4),
                Math.cos(shadowAngle) * shadowLen, Math.sin(shadowAngle) * shadowLen,
                r.uniform(0.006, 0.03), shadow ? r.uniform(0.15, 0.4) : 0);
    }

    private static Scene.Item occluder(double shadowAngle, double shadowLen, SynthRandom r) {
        double s = r.uniform(0.1, 0.3);
        double aspect = Math.exp(r.uniform(-0.6, 0.6));
        double w = s * Math.sqrt(aspect);
        double h = s / Math.sqrt(aspect);
        int base = OCCLUDER_RGB[r.nextInt(OCCLUDER_RGB.length)];
        int fill = rgb(((base >> 16) & 255) + r.gaussian() * 5, ((base >> 8) & 255) + r.gaussian() * 5,
                (base & 255) + r.gaussian() * 5);
        return new Scene.Item(null, null, r.nextInt(3), fill, r.uniform(0.1, 0.9), r.uniform(0.1, 0.9), w, h,
                r.uniform(-Math.PI, Math.PI), false, r.uniform(-Math.PI, Math.PI), r.uniform(0.0, 0.2),
                0, 0.5, 0.5, 0, 0.5, r.chance(0.3) ? r.uniform(0.003, 0.008) : 0, 0.8,
                Math.cos(shadowAngle) * shadowLen, Math.sin(shadowAngle) * shadowLen,
                r.uniform(0.006, 0.03), r.chance(0.6) ? r.uniform(0.15, 0.35) : 0);
    }

    /**
     * A centre keeping most of the object inside the image. Layout 0 takes the best of 6 tries away
     * from the objects already placed, 1 any place, 2 a place overlapping one of them.
     */
    private static double[] place(double w, double h, double angle, int layout, List<Scene.Item> placed, SynthRandom r) {
        // Half extents of the rotated box; at most 20% of each may leave the frame.
        double cos = Math.abs(Math.cos(angle));
        double sin = Math.abs(Math.sin(angle));
        double mx = Math.min(0.5, 0.8 * (cos * w + sin * h) / 2);
        double my = Math.min(0.5, 0.8 * (sin * w + cos * h) / 2);
        if (layout == 2 && !placed.isEmpty()) {
            Scene.Item near = r.pick(placed);
            double a = r.uniform(-Math.PI, Math.PI);
            double d = r.uniform(0.4, 0.85);
            double x = near.cx() + Math.cos(a) * d * (w + near.w()) / 2;
            double y = near.cy() + Math.sin(a) * d * (h + near.h()) / 2;
            return new double[] {clamp(x, mx, 1 - mx), clamp(y, my, 1 - my)};
        }
        double[] best = null;
        double bestDist = -1;
        int tries = layout == 0 && !placed.isEmpty() ? 6 : 1;
        for (int t = 0; t < tries; t++) {
            double x = r.uniform(mx, 1 - mx);
            double y = r.uniform(my, 1 - my);
            double dist = Double.MAX_VALUE;
            for (Scene.Item p : placed) {
                dist = Math.min(dist, Math.hypot(p.cx() - x, p.cy() - y));
            }
            if (dist > bestDist) {
                bestDist = dist;
                best = new double[] {x, y};
            }
        }
        return best;
    }

    private static Scene.Background background(SynthRandom r) {
        Scene.BackgroundKind kind = Scene.BackgroundKind.values()[r.weighted(0.25, 0.2, 0.15, 0.25, 0.15)];
        boolean dark = r.chance(0.08);
        int c1 = dark ? grey(r.uniform(45, 120), 10, r) : light(r);
        int c2 = switch (kind) {
            case TABLE -> jitter(TABLE_RGB[r.nextInt(TABLE_RGB.length)], 8, r);
            case GRADIENT -> r.chance(0.5) ? light(r) : grey(r.uniform(150, 235), 12, r);
            default -> light(r);
        };
        double horizon = r.chance(0.2) ? 0 : r.uniform(0.3, 0.75);
        return new Scene.Background(kind, c1, c2, r.uniform(-Math.PI, Math.PI), horizon, r.uniform(4, 30), r.nextLong());
    }

    private static Scene.Lighting lighting(SynthRandom r) {
        double t = clamp(r.gaussian() * 0.025, -0.06, 0.06);
        return new Scene.Lighting(1 + t, 1 + clamp(r.gaussian() * 0.015, -0.04, 0.04), 1 - t,
                r.uniform(-12, 12), r.uniform(0.85, 1.12), r.uniform(-Math.PI, Math.PI),
                r.chance(0.6) ? r.uniform(0, 0.15) : 0, r.chance(0.4) ? r.uniform(1, 5) : 0, r.nextLong(),
                r.chance(0.25) ? r.uniform(0.2, 0.8) : 0);
    }

    /** A light, low-saturation backdrop colour (white, off-white, pastel). */
    private static int light(SynthRandom r) {
        double v = r.chance(0.4) ? r.uniform(240, 255) : r.uniform(200, 250);
        return rgb(v + r.uniform(-18, 6), v + r.uniform(-18, 6), v + r.uniform(-18, 6));
    }

    private static int grey(double v, double tint, SynthRandom r) {
        return rgb(v + r.uniform(-tint, tint), v + r.uniform(-tint, tint), v + r.uniform(-tint, tint));
    }

    private static int jitter(int rgb, double amount, SynthRandom r) {
        return rgb(((rgb >> 16) & 255) + r.uniform(-amount, amount), ((rgb >> 8) & 255) + r.uniform(-amount, amount),
                (rgb & 255) + r.uniform(-amount, amount));
    }

    static int rgb(double r, double g, double b) {
        return (clampByte(r) << 16) | (clampByte(g) << 8) | clampByte(b);
    }

    static int clampByte(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
