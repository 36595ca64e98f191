package org.mqn4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ResizeTest {
    private static final float[] ZERO = {0, 0, 0};
    private static final float[] ONE = {1, 1, 1};

    @Test
    void bilinearUpsamplingByHand() {
        // one row [0, 100] to width 4, half-pixel centres: s = (d+0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25
        float[] out = Resize.bilinear(new float[]{0, 100}, 1, 2, 1, 4);
        assertArrayEquals(new float[]{0, 25, 75, 100}, out, 1e-5f);
    }

    @Test
    void bilinearDownsamplingIsAntialiasedByHand() {
        // [0,10,20,30] to width 2, scale 2: the triangle filter spans 2 source pixels each side of the centres 1 and 3;
        // output 0 reads pixels 0,1,2 at distances 0.5,0.5,1.5 (weights 1-d/2 = .75,.75,.25), output 1 pixels 1,2,3
        float[] out = Resize.bilinear(new float[]{0, 10, 20, 30}, 1, 4, 1, 2);
        assertArrayEquals(new float[]{(7.5f + 5f) / 1.75f, (2.5f + 15f + 22.5f) / 1.75f}, out, 1e-5f);
    }

    @Test
    void shrinkingAFinePatternGivesItsMeanNotAliases() {
        // a one-pixel checkerboard of 0 and 200, 96 -> 12: every output pixel is about 100 (sampling would give 0 or 200)
        int n = 96;
        float[] board = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            board[i] = (i / n + i % n) % 2 == 0 ? 0f : 200f;
        }
        for (float v : Resize.bilinear(board, n, n, 12, 12)) {
            assertEquals(100f, v, 2f);
        }
        float[] flat = new float[7 * 50];
        java.util.Arrays.fill(flat, 42f);
        for (float v : Resize.bilinear(flat, 7, 50, 3, 11)) {
            assertEquals(42f, v, 1e-4f);   // the normalised weights keep a constant image constant, borders included
        }
    }

    @Test
    void bilinearRgbNormalisesWithMeanAndStd() {
        RgbImage img = new RgbImage(1, 1, new byte[]{(byte) 255, 0, (byte) 128});
        float[] out = new float[3 * 4];
        Resize.bilinearRgb(img, 2, 2, SampleLoader.MEAN, SampleLoader.STD, out, 0);
        float r = (1f - 0.485f) / 0.229f;
        float g = (0f - 0.456f) / 0.224f;
        float b = (128f / 255f - 0.406f) / 0.225f;
        assertArrayEquals(new float[]{r, r, r, r, g, g, g, g, b, b, b, b}, out, 1e-5f);
    }

    /** F.interpolate(bilinear, antialias=True) of a 3x5x7 image: enlarging, and shrinking 7 -> 4, 5 -> 3, 7 -> 2. */
    @Test
    void bilinearMatchesTorchInterpolate() throws Exception {
        JsonNode fx = new ObjectMapper().readTree(getClass().getResource("resize_torch.json"));
        assertMatchesTorch(image(fx.get("image_chw"), fx.get("h").asInt(), fx.get("w").asInt()), fx.get("bilinear"));
    }

    /** The same of a 3x37x53 image shrunk by factors up to 53, where the antialiasing filter spans many pixels. */
    @Test
    void shrinkingMatchesTorchInterpolateWithAntialias() throws Exception {
        JsonNode fx = new ObjectMapper().readTree(getClass().getResource("resize_torch.json"));
        assertEquals(6, fx.get("shrink").size());
        assertMatchesTorch(image(fx.get("shrink_image_chw"), fx.get("shrink_h").asInt(), fx.get("shrink_w").asInt()),
                fx.get("shrink"));
    }

    /** An RGB image from the fixture's CHW byte values. */
    private static RgbImage image(JsonNode chw, int h, int w) {
        byte[] rgb = new byte[3 * h * w];
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < h * w; i++) {
                rgb[3 * i + ch] = (byte) chw.get(ch * h * w + i).asInt();
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static void assertMatchesTorch(RgbImage img, JsonNode cases) {
        for (JsonNode t : cases) {
            int oh = t.get("h").asInt();
            int ow = t.get("w").asInt();
            float[] out = new float[3 * oh * ow];
            Resize.bilinearRgb(img, oh, ow, ZERO, ONE, out, 0);
            for (int i = 0; i < out.length; i++) {
                assertEquals(t.get("out").get(i).floatValue(), out[i], 1e-6f, "size " + oh + "x" + ow + " value " + i);
            }
        }
    }

    @Test
    void nearestByHand() {
        // 5 -> 3: floor(d * 5/3) = 0, 1, 3;  3 -> 7: floor(d * 3/7) = 0,0,0,1,1,2,2
        assertArrayEquals(new int[]{0, 1, 3}, indices(5, 3));
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 2, 2}, indices(3, 7));
        BinaryMask m = new BinaryMask(3, 1, new byte[]{0, 1, 0});
        assertArrayEquals(new byte[]{0, 0, 0, 1, 1, 0, 0}, Resize.nearest(m, 1, 7).bits());
    }

    @Test
    void nearestMatchesTorchInterpolate() throws Exception {
        JsonNode fx = new ObjectMapper().readTree(getClass().getResource("resize_torch.json"));
        for (JsonNode t : fx.get("nearest")) {
            int in = t.get("in").asInt();
            int out = t.get("out").asInt();
            int[] want = new int[out];
            for (int i = 0; i < out; i++) {
                want[i] = t.get("index").get(i).asInt();
            }
            assertArrayEquals(want, indices(in, out), in + " -> " + out);
        }
    }

    private static int[] indices(int in, int out) {
        int[] r = new int[out];
        for (int d = 0; d < out; d++) {
            r[d] = Resize.nearestIndex(d, in, out);
        }
        return r;
    }
}
