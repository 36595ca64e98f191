package org.mqn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {
    @TempDir
    Path dir;

    @Test
    void rgbPngIsReadExactly() throws Exception {
        Path f = TestImages.rgb(dir.resolve("a.png"), 3, 2, (x, y) -> (10 * x) << 16 | (20 * y) << 8 | 7, "png");
        RgbImage img = ImageDecoder.readRgb(f);
        assertEquals(3, img.width());
        assertEquals(2, img.height());
        assertEquals(20, img.get(2, 1, 0));
        assertEquals(20, img.get(2, 1, 1));
        assertEquals(7, img.get(2, 1, 2));
    }

    @Test
    void rgbJpegIsReadApproximately() throws Exception {
        Path f = TestImages.rgb(dir.resolve("a.jpg"), 16, 16, (x, y) -> 0xC86432, "jpg");
        RgbImage img = ImageDecoder.readRgb(f);
        assertEquals(200, img.get(5, 5, 0), 4);
        assertEquals(100, img.get(5, 5, 1), 4);
        assertEquals(50, img.get(5, 5, 2), 4);
    }

    @Test
    void greyIsReplicatedWithoutGammaConversion() throws Exception {
        Path f = TestImages.grey(dir.resolve("g.png"), 4, 1, (x, y) -> new int[]{0, 37, 128, 255}[x]);
        RgbImage img = ImageDecoder.readRgb(f);
        int[] want = {0, 37, 128, 255};
        for (int x = 0; x < 4; x++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(want[x], img.get(x, 0, c), "x=" + x + " c=" + c);
            }
        }
    }

    @Test
    void rgbaDropsAlphaLikePilConvertRgb() throws Exception {
        // fully transparent red stays red (PIL convert('RGB') drops alpha, it does not composite)
        Path f = TestImages.rgba(dir.resolve("a.png"), 2, 1, (x, y) -> x == 0 ? 0x00FF0000 : 0x8010A0F0);
        RgbImage img = ImageDecoder.readRgb(f);
        assertArrayEquals(new byte[]{(byte) 255, 0, 0, 0x10, (byte) 0xA0, (byte) 0xF0}, img.rgb());
    }

    @Test
    void paletteTakesPaletteColours() throws Exception {
        Path f = TestImages.palette(dir.resolve("p.png"), 3, 1, new int[]{0x000000, 0x123456, 0xFEDCBA},
                (x, y) -> new int[]{2, 0, 1}[x]);
        RgbImage img = ImageDecoder.readRgb(f);
        assertArrayEquals(new byte[]{(byte) 0xFE, (byte) 0xDC, (byte) 0xBA, 0, 0, 0, 0x12, 0x34, 0x56}, img.rgb());
    }

    @Test
    void sixteenBitGreyScalesByRoundingDivisionBy257() throws Exception {
        int[] v = {0, 257, 32767, 32768, 65535, 1000};
        Path f = TestImages.grey16(dir.resolve("g16.png"), v.length, 1, (x, y) -> v[x]);
        RgbImage img = ImageDecoder.readRgb(f);
        int[] want = {0, 1, 127, 128, 255, 4}; // round(v/257): 1000/257 = 3.89
        for (int x = 0; x < v.length; x++) {
            assertEquals(want[x], img.get(x, 0, 1), "v=" + v[x]);
        }
    }

    @Test
    void cmykJpegBecomesRgb() throws Exception {
        // Fixture by make_fixtures.py (PIL, Adobe CMYK JPEG): quadrants white, cyan, black, red.
        Path f = Path.of(getClass().getResource("cmyk.jpg").toURI());
        RgbImage img = ImageDecoder.readRgb(f);
        assertEquals(16, img.width());
        int[] white = px(img, 3, 3);
        int[] cyan = px(img, 12, 3);
        int[] black = px(img, 3, 12);
        int[] red = px(img, 12, 12);
        assertTrue(white[0] > 220 && white[1] > 220 && white[2] > 220, "white " + java.util.Arrays.toString(white));
        assertTrue(cyan[0] < 90 && cyan[1] > 120 && cyan[2] > 180, "cyan " + java.util.Arrays.toString(cyan));
        assertTrue(black[0] < 70 && black[1] < 70 && black[2] < 70, "black " + java.util.Arrays.toString(black));
        assertTrue(red[0] > 180 && red[1] < 90 && red[2] < 90, "red " + java.util.Arrays.toString(red));
    }

    private static int[] px(RgbImage img, int x, int y) {
        return new int[]{img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    @Test
    void masksOfEveryKindAreThresholdedAt128() throws Exception {
        // 8-bit grey: 127 background, 128 product
        assertMask(TestImages.grey(dir.resolve("m8.png"), 3, 1, (x, y) -> new int[]{127, 128, 255}[x]), 0, 1, 1);
        // 16-bit grey: product iff v >= 32768
        assertMask(TestImages.grey16(dir.resolve("m16.png"), 3, 1, (x, y) -> new int[]{32767, 32768, 65535}[x]), 0, 1, 1);
        // 1-bit
        assertMask(TestImages.binary(dir.resolve("m1.png"), 3, 1, (x, y) -> x == 1 ? 1 : 0), 0, 1, 0);
        // palette by colour luminance, not index: index 1 is black, index 0 white
        assertMask(TestImages.palette(dir.resolve("mp.png"), 3, 1, new int[]{0xFFFFFF, 0x000000},
                (x, y) -> x == 0 ? 1 : 0), 0, 1, 1);
        // RGB by PIL luminance: red 76 -> background, green 150 -> product, grey 128 -> product
        assertMask(TestImages.rgb(dir.resolve("mrgb.png"), 3, 1, (x, y) -> new int[]{0xFF0000, 0x00FF00, 0x808080}[x],
                "png"), 0, 1, 1);
        // grey + alpha: alpha ignored
        assertMask(TestImages.greyAlpha(dir.resolve("mga.png"), 3, 1, (x, y) -> new int[]{0, 255, 200}[x],
                (x, y) -> new int[]{255, 0, 10}[x]), 0, 1, 1);
    }

    private static void assertMask(Path f, int... want) throws BadImageException {
        BinaryMask m = ImageDecoder.readMask(f);
        byte[] w = new byte[want.length];
        for (int i = 0; i < want.length; i++) {
            w[i] = (byte) want[i];
        }
        assertArrayEquals(w, m.bits(), f.getFileName().toString());
    }

    @Test
    void pilLuminanceMatchesPilFormula() {
        assertEquals(76, ImageDecoder.luminance(255, 0, 0));
        assertEquals(150, ImageDecoder.luminance(0, 255, 0));
        assertEquals(29, ImageDecoder.luminance(0, 0, 255));
        assertEquals(255, ImageDecoder.luminance(255, 255, 255));
    }

    @Test
    void truncatedJpegIsRejected() throws Exception {
        Path f = TestImages.rgb(dir.resolve("t.jpg"), 64, 64, (x, y) -> (x * 4) << 16 | (y * 4) << 8 | (x ^ y), "jpg");
        long n = Files.size(f);
        TestImages.truncate(f, (int) (n * 2 / 3));
        BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.readRgb(f));
        assertEquals("truncated", e.kind());
    }

    @Test
    void truncatedJpegWithFakeEndMarkerIsRejectedByDecoderWarning() throws Exception {
        // cut inside the scan, then append FFD9: passes the marker check, the decoder must still complain
        Path f = TestImages.rgb(dir.resolve("t2.jpg"), 64, 64, (x, y) -> (x * 4) << 16 | (y * 4) << 8 | (x ^ y), "jpg");
        byte[] b = Files.readAllBytes(f);
        byte[] cut = java.util.Arrays.copyOf(b, b.length * 2 / 3 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        Files.write(f, cut);
        BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.readRgb(f));
        assertTrue(e.kind().equals("truncated") || e.kind().equals("corrupt"), e.getMessage());
    }

    @Test
    void truncatedPngIsRejected() throws Exception {
        Path f = TestImages.rgb(dir.resolve("t.png"), 32, 32, (x, y) -> (x * 8) << 16 | (y * 8) << 8 | (x ^ y), "png");
        TestImages.truncate(f, (int) Files.size(f) - 20);
        BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.readRgb(f));
        assertEquals("truncated", e.kind());
    }

    @Test
    void garbageAndMissingFilesAreRejected() throws Exception {
        Path g = Files.writeString(dir.resolve("g.jpg"), "not an image at all");
        assertEquals("unreadable", assertThrows(BadImageException.class, () -> ImageDecoder.readRgb(g)).kind());
        Path e = Files.write(dir.resolve("e.png"), new byte[0]);
        assertEquals("unreadable", assertThrows(BadImageException.class, () -> ImageDecoder.readRgb(e)).kind());
        assertEquals("missing", assertThrows(BadImageException.class,
                () -> ImageDecoder.readRgb(dir.resolve("nope.png"))).kind());
    }
}
