package org.mqn4j.data;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendered samples: the mask is the target's visible pixels, checked against independent geometry and colour. */
class SyntheticProductsTest {
    private static final Vocabulary V = Vocabulary.standard();
    private static final int SIZE = 64;
    /** Samples per check (also passed by hand with 1500 samples at 64 px and 400 at 160 px). */
    private static final int N = 100;

    private static SyntheticProducts products(long seed) {
        return new SyntheticProducts(V, SynthConfig.builder().size(SIZE).seed(seed).build());
    }

    /**
     * The median colour of the mask's interior (pixels whose 4 neighbours are in the mask too: edges
     * mix with the surroundings through antialiasing and lens blur) is, of the vocabulary colours seen
     * under the scene's global light ({@link Scene.Lighting}: gains, contrast, brightness), nearest the
     * target's, or second nearest but never nearer a colour of a distractor. Masks too thin to have 8
     * interior pixels are skipped (fewer than 5% of samples).
     */
    @Test
    void maskShowsTheTargetsColour() {
        SyntheticProducts sp = products(11);
        int skipped = 0;
        for (int i = 0; i < N; i++) {
            skipped += showsItsColour(sp.sample("train", i)) ? 0 : 1;
        }
        assertTrue(skipped < N / 20, skipped + " thin masks skipped");
    }

    /**
     * Referents ask for the photo's other products: the same image and items, another product as target, its
     * visible pixels as the mask (large enough for a target, apart from the first target's, in that product's
     * colour by {@link #showsItsColour}), and a title that names it so that no other product matches.
     */
    @Test
    void referentsAreThePhotosOtherProducts() {
        SyntheticProducts sp = products(11);
        int withDistractors = 0, withReferents = 0, referents = 0, skipped = 0;
        for (int i = 0; i < N; i++) {
            SyntheticProducts.Sample s = sp.sample("train", i);
            List<SyntheticProducts.Sample> rs = sp.referents(s, 3);
            withDistractors += s.scene().distractors().isEmpty() ? 0 : 1;
            withReferents += rs.isEmpty() ? 0 : 1;
            assertTrue(rs.size() <= s.scene().distractors().size(), s.id());
            assertEquals(rs.stream().map(r -> r.scene().title()).toList(), sp.referents(s, 3).stream()
                    .map(r -> r.scene().title()).toList(), s.id() + " is not reproducible");
            assertEquals(rs.stream().limit(1).map(r -> r.scene()).toList(), sp.referents(s, 1).stream()
                    .map(r -> r.scene()).toList(), s.id() + ": max 1 is not the first");
            Set<Integer> targets = new HashSet<>(Set.of(s.scene().target()));
            for (int k = 0; k < rs.size(); k++) {
                SyntheticProducts.Sample r = rs.get(k);
                String where = r.id() + ": " + r.scene().title();
                assertEquals(s.id() + "_r" + (k + 1), r.id());
                assertSame(s.image(), r.image());
                assertEquals(s.scene().items(), r.scene().items());
                assertTrue(targets.add(r.scene().target()), where + " asks for a product twice");
                int pixels = 0;
                for (int p = 0; p < r.mask().length; p++) {
                    pixels += r.mask()[p] != 0 ? 1 : 0;
                    assertFalse(r.mask()[p] != 0 && s.mask()[p] != 0, where + " overlaps the first target's mask");
                }
                assertTrue(pixels >= SyntheticProducts.MIN_TARGET_AREA * SIZE * SIZE, where + ": " + pixels + " px");
                skipped += showsItsColour(r) ? 0 : 1;
                Scene.Item t = r.scene().targetItem();
                boolean nc = r.scene().titleNames().contains("color");
                boolean nk = r.scene().titleNames().contains("category");
                assertEquals(nc, r.scene().title().contains(t.colour().zh()), where);
                assertEquals(nk, r.scene().title().contains(t.category().zh()), where);
                for (Scene.Item o : r.scene().distractors()) {
                    assertTrue((nc && !o.colour().equals(t.colour())) || (nk && !o.category().equals(t.category())),
                            where + ": " + o.colour().en() + " " + o.category().en() + " matches the title too");
                }
                referents++;
            }
        }
        assertTrue(withReferents > withDistractors / 2, withReferents + " of " + withDistractors + " photos with distractors");
        assertTrue(skipped < Math.max(2, referents / 20), skipped + " of " + referents + " thin referent masks skipped");
        assertEquals(List.of(), sp.referents(sp.sample("train", 0), 0));
    }

    /**
     * The median colour of the mask's interior (pixels whose 4 neighbours are in the mask too: edges
     * mix with the surroundings through antialiasing and lens blur) is, of the vocabulary colours seen
     * under the scene's global light ({@link Scene.Lighting}: gains, contrast, brightness), nearest the
     * target's, or second nearest but never nearer a colour of a distractor. False (skipped) for masks too
     * thin to have 8 interior pixels (fewer than 5% of samples).
     */
    static boolean showsItsColour(SyntheticProducts.Sample s) {
        byte[] interior = erode(s.mask(), SIZE);
        int count = 0;
        for (byte b : interior) {
            count += b != 0 ? 1 : 0;
        }
        if (count < 8) {
            return false;
        }
        int[] median = medianUnderMask(s.image(), interior);
        Scene.Lighting light = s.scene().lighting();
        Vocabulary.Colour tc = s.scene().targetItem().colour();
        double toTarget = dist(median, lit(tc, light));
        for (Scene.Item d : s.scene().distractors()) {
            if (!d.colour().equals(tc)) {
                assertTrue(toTarget < dist(median, lit(d.colour(), light)), s.id() + ": median " + Arrays.toString(median)
                        + " under the mask is nearer the distractor's " + d.colour().en() + " than the target's " + tc.en());
            }
        }
        long nearer = V.colours().stream().filter(c -> dist(median, lit(c, light)) < toTarget).count();
        assertTrue(nearer <= 1, s.id() + ": " + nearer + " colours nearer than " + tc.en() + " to " + Arrays.toString(median));
        return true;
    }

    static byte[] erode(byte[] mask, int size) {
        byte[] out = new byte[mask.length];
        for (int y = 1; y < size - 1; y++) {
            for (int x = 1; x < size - 1; x++) {
                int p = y * size + x;
                if (mask[p] != 0 && mask[p - 1] != 0 && mask[p + 1] != 0 && mask[p - size] != 0 && mask[p + size] != 0) {
                    out[p] = (byte) 255;
                }
            }
        }
        return out;
    }

    /** A vocabulary colour under the global light (without the ramp, whose mean is 1). */
    static double[] lit(Vocabulary.Colour c, Scene.Lighting l) {
        return new double[] {(c.r() * l.gainR() - 128) * l.contrast() + 128 + l.brightness(),
                (c.g() * l.gainG() - 128) * l.contrast() + 128 + l.brightness(),
                (c.b() * l.gainB() - 128) * l.contrast() + 128 + l.brightness()};
    }

    @Test
    void maskLiesOnTheTargetsPolygon() {
        SyntheticProducts sp = products(12);
        int unoccludedChecked = 0;
        for (int i = 0; i < N; i++) {
            SyntheticProducts.Sample s = sp.sample("val", i);
            Scene.Item t = s.scene().targetItem();
            double[][] poly = pixelPolygon(t, SIZE);
            // Pixel centres inside the fill, or on the outline: a stroke of the outline's width, at least a
            // one-pixel line (non-antialiased thin strokes), whose pixel centres lie within 0.71 px of it.
            double tolerance = Math.max(t.outline() * SIZE / 2, 0.71) + 0.3;
            boolean inFront = s.scene().target() < s.scene().items().size() - 1;
            int count = 0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double px = x + 0.5;
                    double py = y + 0.5;
                    boolean inside = inside(poly, px, py);
                    double edge = distanceToBoundary(poly, px, py);
                    boolean m = s.mask()[y * SIZE + x] != 0;
                    if (m) {
                        count++;
                        assertTrue(inside || edge <= tolerance, s.id() + ": mask pixel " + x + "," + y + " off the target");
                    } else if (!inFront && inside && edge > 0.75) {
                        throw new AssertionError(s.id() + ": unoccluded target pixel " + x + "," + y + " missing from the mask");
                    }
                }
            }
            assertTrue(count >= SyntheticProducts.MIN_TARGET_AREA * SIZE * SIZE, s.id() + ": mask of " + count + " px");
            if (!inFront) {
                unoccludedChecked++;
            }
        }
        assertTrue(unoccludedChecked > N / 5, "unoccluded targets checked: " + unoccludedChecked);
    }

    @Test
    void occludedTargetShowsLessThanItsSilhouette() {
        SyntheticProducts sp = products(13);
        SceneRenderer renderer = new SceneRenderer();
        int occluded = 0;
        for (int i = 0; i < N; i++) {
            SyntheticProducts.Sample s = sp.sample("test", i);
            boolean[] sil = renderer.silhouette(s.scene(), s.scene().target(), SIZE);
            int silCount = 0;
            int maskCount = 0;
            for (int p = 0; p < sil.length; p++) {
                boolean m = s.mask()[p] != 0;
                assertFalse(m && !sil[p], s.id() + ": mask outside the silhouette at " + p);
                silCount += sil[p] ? 1 : 0;
                maskCount += m ? 1 : 0;
            }
            // Is any object drawn after the target overlapping its silhouette?
            boolean covered = false;
            List<Scene.Item> items = s.scene().items();
            for (int j = s.scene().target() + 1; j < items.size() && !covered; j++) {
                boolean[] other = renderer.silhouette(s.scene(), j, SIZE);
                for (int p = 0; p < sil.length && !covered; p++) {
                    covered = sil[p] && other[p];
                }
            }
            if (covered) {
                occluded++;
                assertTrue(maskCount < silCount, s.id() + ": occluded, yet mask " + maskCount + " == silhouette " + silCount);
                assertTrue(maskCount >= SyntheticProducts.MIN_TARGET_VISIBLE * silCount, s.id() + ": too little visible");
            } else {
                assertEquals(silCount, maskCount, s.id() + ": nothing in front, mask must be the whole silhouette");
            }
        }
        assertTrue(occluded >= 10, "only " + occluded + " occluded targets in " + N);
    }

    @Test
    void samplesAreReproducibleAndSeedDependent() {
        SyntheticProducts a = products(21);
        SyntheticProducts b = products(21);
        SyntheticProducts c = products(22);
        for (int i = 0; i < 10; i++) {
            SyntheticProducts.Sample sa = a.sample("train", i);
            SyntheticProducts.Sample sb = b.sample("train", i);
            assertArrayEquals(SyntheticDatasetWriter.jpeg(sa.image(), 0.92f), SyntheticDatasetWriter.jpeg(sb.image(), 0.92f));
            assertArrayEquals(sa.mask(), sb.mask());
            assertEquals(sa.scene().title(), sb.scene().title());
        }
        // Out of order and in reverse: a sample does not depend on the ones made before it.
        assertArrayEquals(a.sample("train", 3).mask(), b.sample("train", 3).mask());
        int differ = 0;
        for (int i = 0; i < 10; i++) {
            if (!Arrays.equals(SyntheticDatasetWriter.jpeg(a.sample("train", i).image(), 0.92f),
                    SyntheticDatasetWriter.jpeg(c.sample("train", i).image(), 0.92f))) {
                differ++;
            }
        }
        assertEquals(10, differ);
    }

    // --- independent geometry: the vocabulary polygon placed by hand, even-odd ray casting ---

    static double[][] pixelPolygon(Scene.Item t, int size) {
        double[] xs = t.category().xs();
        double[] ys = t.category().ys();
        double[][] out = new double[xs.length][];
        double cos = Math.cos(t.angle());
        double sin = Math.sin(t.angle());
        for (int i = 0; i < xs.length; i++) {
            double u = (xs[i] - 0.5) * t.w() * size * (t.flip() ? -1 : 1);
            double v = (ys[i] - 0.5) * t.h() * size;
            out[i] = new double[] {t.cx() * size + cos * u - sin * v, t.cy() * size + sin * u + cos * v};
        }
        return out;
    }

    static boolean inside(double[][] poly, double x, double y) {
        boolean in = false;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            double xi = poly[i][0], yi = poly[i][1], xj = poly[j][0], yj = poly[j][1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }

    static double distanceToBoundary(double[][] poly, double x, double y) {
        double best = Double.MAX_VALUE;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            double ax = poly[j][0], ay = poly[j][1], bx = poly[i][0], by = poly[i][1];
            double dx = bx - ax, dy = by - ay;
            double len2 = dx * dx + dy * dy;
            double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
            best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
        }
        return best;
    }

    static int[] medianUnderMask(BufferedImage img, byte[] mask) {
        int w = img.getWidth();
        int n = 0;
        int[][] ch = new int[3][mask.length];
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] != 0) {
                int c = img.getRGB(p % w, p / w);
                ch[0][n] = (c >> 16) & 255;
                ch[1][n] = (c >> 8) & 255;
                ch[2][n] = c & 255;
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        int[] out = new int[3];
        for (int k = 0; k < 3; k++) {
            int[] v = Arrays.copyOf(ch[k], n);
            Arrays.sort(v);
            out[k] = v[n / 2];
        }
        return out;
    }

    static double dist(int[] rgb, double[] c) {
        return Math.sqrt(Math.pow(rgb[0] - c[0], 2) + Math.pow(rgb[1] - c[1], 2) + Math.pow(rgb[2] - c[2], 2));
    }
}
