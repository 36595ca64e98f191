package org.mqn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    /** The strengths of conf/mqn_tiny_augment.yaml (kept equal by TrainConfigTest). */
    static final Augmentation CONF = Augmentation.builder().flip(true).brightness(0.2).contrast(0.2).saturation(0.2)
            .colorCast(0.05).lighting(0.2).occlusion(0.25).noise(4).build();
    /** CONF's light changes alone (no flip, no occluder). */
    static final Augmentation LIGHT = Augmentation.builder().brightness(0.2).contrast(0.2).saturation(0.2)
            .colorCast(0.05).lighting(0.2).noise(4).build();

    /** A 12x8 picture with a different colour in every pixel and an L-shaped mask. */
    private static RgbImage picture() {
        byte[] rgb = new byte[3 * 12 * 8];
        for (int i = 0; i < 12 * 8; i++) {
            rgb[3 * i] = (byte) (i * 2);
            rgb[3 * i + 1] = (byte) (255 - i);
            rgb[3 * i + 2] = (byte) (i * 7 % 256);
        }
        return new RgbImage(12, 8, rgb);
    }

    private static BinaryMask mask() {
        byte[] m = new byte[12 * 8];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                m[y * 12 + x] = (byte) (x < 3 || y > 5 ? 1 : 0);
            }
        }
        return new BinaryMask(12, 8, m);
    }

    @Test
    void allZeroChangesNothing() {
        Augmentation.Sample s = Augmentation.NONE.apply(picture(), mask(), new SplittableRandom(1));
        assertArrayEquals(picture().rgb(), s.image().rgb());
        assertArrayEquals(mask().bits(), s.mask().bits());
        assertTrue(Augmentation.NONE.isNone());
        assertEquals("none", Augmentation.NONE.describe());
    }

    @Test
    void flipMirrorsImageAndMaskTogetherHalfTheTime() {
        Augmentation flip = Augmentation.builder().flip(true).build();
        RgbImage img = picture();
        BinaryMask m = mask();
        int mirrored = 0;
        for (int seed = 0; seed < 200; seed++) {
            Augmentation.Sample s = flip.apply(img, m, new SplittableRandom(seed));
            boolean same = java.util.Arrays.equals(img.rgb(), s.image().rgb());
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 12; x++) {
                    int sx = same ? x : 11 - x;
                    assertEquals(m.get(sx, y), s.mask().get(x, y));
                    for (int c = 0; c < 3; c++) {
                        assertEquals(img.get(sx, y, c), s.image().get(x, y, c));
                    }
                }
            }
            mirrored += same ? 0 : 1;
        }
        assertTrue(mirrored > 70 && mirrored < 130, "mirrored " + mirrored + " of 200");
    }

    @Test
    void lightChangesKeepTheMaskAndAreReproducible() {
        Augmentation light = LIGHT;
        Augmentation.Sample a = light.apply(picture(), mask(), new SplittableRandom(5));
        Augmentation.Sample b = light.apply(picture(), mask(), new SplittableRandom(5));
        assertArrayEquals(a.image().rgb(), b.image().rgb());
        assertArrayEquals(mask().bits(), a.mask().bits());
        assertTrue(!java.util.Arrays.equals(picture().rgb(), a.image().rgb()), "the light changed the picture");
    }

    /**
     * The title's colour word stays true: a product of each vocabulary colour, lit by the configured augmentation,
     * is still nearest to its own colour at the picture's centre, in at least 97% of draws. Nearest allowing for
     * the light: the distance to colour C is the least RGB distance to t*C, t in [0.6, 1.4] (a darker purple is
     * purple, though plain RGB distance calls it grey).
     */
    @Test
    void vocabularyColoursStayTheirColour() {
        java.util.List<Vocabulary.Colour> colours = Vocabulary.standard().colours();
        int[][] rgb = new int[colours.size()][];
        for (int k = 0; k < rgb.length; k++) {
            Vocabulary.Colour v = colours.get(k);
            rgb[k] = new int[]{v.r(), v.g(), v.b()};
        }
        Augmentation light = LIGHT;
        int n = 16;
        for (int k = 0; k < rgb.length; k++) {
            byte[] px = new byte[3 * n * n];
            for (int i = 0; i < n * n; i++) {
                for (int c = 0; c < 3; c++) {
                    px[3 * i + c] = (byte) rgb[k][c];
                }
            }
            RgbImage img = new RgbImage(n, n, px);
            BinaryMask m = new BinaryMask(n, n, new byte[n * n]);
            int kept = 0;
            int draws = 300;
            for (int seed = 0; seed < draws; seed++) {
                RgbImage out = light.apply(img, m, new SplittableRandom(seed)).image();
                int best = -1;
                double bestD = Double.MAX_VALUE;
                for (int j = 0; j < rgb.length; j++) {
                    double dot = 0;
                    double norm = 0;
                    for (int c = 0; c < 3; c++) {
                        dot += out.get(n / 2, n / 2, c) * (double) rgb[j][c];
                        norm += (double) rgb[j][c] * rgb[j][c];
                    }
                    double t = Math.max(0.6, Math.min(1.4, dot / norm));
                    double d = 0;
                    for (int c = 0; c < 3; c++) {
                        double e = out.get(n / 2, n / 2, c) - t * rgb[j][c];
                        d += e * e;
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = j;
                    }
                }
                kept += best == k ? 1 : 0;
            }
            assertTrue(kept >= 0.97 * draws, colours.get(k).en() + " stayed itself in " + kept + " of " + draws);
        }
    }

    @Test
    void anOccluderHidesProductPixelsAndOnlyThose() {
        Augmentation occ = Augmentation.builder().occlusion(1.0).build();
        int w = 40;
        byte[] m = new byte[w * w];
        java.util.Arrays.fill(m, (byte) 1);   // the product fills the picture: every hidden pixel leaves the mask
        BinaryMask full = new BinaryMask(w, w, m);
        byte[] px = new byte[3 * w * w];
        java.util.Arrays.fill(px, (byte) 255);
        RgbImage white = new RgbImage(w, w, px);
        for (int seed = 0; seed < 50; seed++) {
            Augmentation.Sample s = occ.apply(white, full, new SplittableRandom(seed));
            int hidden = 0;
            for (int i = 0; i < w * w; i++) {
                boolean changed = (s.image().rgb()[3 * i] & 0xff) != 255 || (s.image().rgb()[3 * i + 1] & 0xff) != 255
                        || (s.image().rgb()[3 * i + 2] & 0xff) != 255;
                boolean left = s.mask().bits()[i] == 0;
                assertEquals(changed, left, "pixel " + i + " seed " + seed);
                hidden += left ? 1 : 0;
            }
            assertTrue(hidden <= 0.16 * 1.44 * w * w, "at most 16% (corners jittered by up to 20%): " + hidden);
        }
    }

    /**
     * The target occluder: a small red square product in a grey picture. The occluder always covers part of the
     * product (it is centred on one of its pixels), hides nothing it does not paint, is one colour at least 100 from
     * the product's red, and covers 3-12% of the picture when it lies inside the frame.
     */
    @Test
    void aTargetOccluderCoversPartOfTheProductInAColourFarFromIt() {
        Augmentation occ = Augmentation.builder().targetOcclusion(1.0).build();
        int w = 64;
        byte[] px = new byte[3 * w * w];
        byte[] m = new byte[w * w];
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean product = x >= 24 && x < 40 && y >= 24 && y < 40;
                m[i] = (byte) (product ? 1 : 0);
                px[3 * i] = (byte) (product ? 214 : 128);
                px[3 * i + 1] = (byte) (product ? 39 : 128);
                px[3 * i + 2] = (byte) (product ? 40 : 128);
            }
        }
        RgbImage img = new RgbImage(w, w, px);
        BinaryMask mask = new BinaryMask(w, w, m);
        for (int seed = 0; seed < 100; seed++) {
            Augmentation.Sample s = occ.apply(img, mask, new SplittableRandom(seed));
            int changed = 0;
            int hiddenProduct = 0;
            int colour = -1;
            for (int i = 0; i < w * w; i++) {
                byte[] o = s.image().rgb();
                int c = (o[3 * i] & 0xff) << 16 | (o[3 * i + 1] & 0xff) << 8 | (o[3 * i + 2] & 0xff);
                int before = (px[3 * i] & 0xff) << 16 | (px[3 * i + 1] & 0xff) << 8 | (px[3 * i + 2] & 0xff);
                if (c != before) {
                    changed++;
                    assertTrue(colour == -1 || colour == c, "one colour, seed " + seed);
                    colour = c;
                    hiddenProduct += m[i];
                }
                assertEquals(m[i] == 1 && c == before ? 1 : 0, s.mask().bits()[i], "mask at " + i + " seed " + seed);
            }
            assertTrue(hiddenProduct > 0, "covers part of the product, seed " + seed);
            assertTrue(changed <= 0.12 * w * w + 2 * Math.sqrt(0.12 * w * w) * 4, "at most about 12%: " + changed);
            double d = Math.sqrt(Math.pow((colour >> 16) - 214, 2) + Math.pow((colour >> 8 & 255) - 39, 2)
                    + Math.pow((colour & 255) - 40, 2));
            assertTrue(d >= 99, "colour distance " + d + " seed " + seed);
        }
        byte[] none = new byte[w * w];
        Augmentation.Sample empty = occ.apply(img, new BinaryMask(w, w, none), new SplittableRandom(3));
        assertArrayEquals(px, empty.image().rgb(), "no product, nothing to cover");
    }

    @Test
    void badStrengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Augmentation.builder().brightness(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> Augmentation.builder().occlusion(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> Augmentation.builder().targetOcclusion(-0.5).build());
        assertThrows(IllegalArgumentException.class, () -> Augmentation.builder().colorCast(Double.NaN).build());
    }
}
