package org.mqn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Small MMPS datasets for tests. {@link #good} writes {@code test.jsonl} with five records of five
 * image kinds; their masks have these foreground counts (so an all-foreground prediction has
 * IoU = count / pixels):
 * <pre>
 *   test_000000  RGB JPEG 8x6     8-bit grey mask, x < 4      24/48  = 0.5
 *   test_000001  grey PNG 8x6     16-bit grey mask, x < 2     12/48  = 0.25
 *   test_000002  RGBA PNG 4x4     1-bit mask, y < 3           12/16  = 0.75
 *   test_000003  palette PNG 8x6  palette mask, x < 7         42/48  = 0.875
 *   test_000004  CMYK JPEG 16x16  RGB mask, x < 8 and y < 8   64/256 = 0.25
 * </pre>
 */
public final class TestDatasets {
    /** Foreground pixel counts and pixel counts of the five records of {@link #good}. */
    public static final long[] FOREGROUND = {24, 12, 12, 42, 64};
    public static final long[] PIXELS = {48, 48, 16, 48, 256};
    public static final String TITLE_0 = "红色马克杯 2024新款 送蓝色杯垫";

    private TestDatasets() {
    }

    public static String id(int i) {
        return String.format("test_%06d", i);
    }

    /** Writes the five good records of the class comment under {@code root}; returns root. */
    public static Path good(Path root) {
        Path img = root.resolve("images");
        Path msk = root.resolve("masks");
        TestImages.rgb(img.resolve(id(0) + ".jpg"), 8, 6, (x, y) -> 0xC03020, "jpg");
        TestImages.grey(msk.resolve(id(0) + ".png"), 8, 6, (x, y) -> x < 4 ? 255 : 0);
        TestImages.grey(img.resolve(id(1) + ".png"), 8, 6, (x, y) -> 30 * x);
        TestImages.grey16(msk.resolve(id(1) + ".png"), 8, 6, (x, y) -> x < 2 ? 65535 : 1000);
        TestImages.rgba(img.resolve(id(2) + ".png"), 4, 4, (x, y) -> 0x80FF0000 | (60 * y) << 8);
        TestImages.binary(msk.resolve(id(2) + ".png"), 4, 4, (x, y) -> y < 3 ? 1 : 0);
        TestImages.palette(img.resolve(id(3) + ".png"), 8, 6, new int[]{0x102030, 0xF0E0D0}, (x, y) -> (x + y) % 2);
        TestImages.palette(msk.resolve(id(3) + ".png"), 8, 6, new int[]{0x000000, 0xFFFFFF}, (x, y) -> x < 7 ? 1 : 0);
        copyResource("cmyk.jpg", img.resolve(id(4) + ".jpg"));
        TestImages.rgb(msk.resolve(id(4) + ".png"), 16, 16, (x, y) -> x < 8 && y < 8 ? 0xFFFFFF : 0x200000, "png");
        StringBuilder s = new StringBuilder();
        String[] ext = {"jpg", "png", "png", "png", "jpg"};
        for (int i = 0; i < 5; i++) {
            String title = i == 0 ? TITLE_0 : "product " + i;
            s.append(line(id(i), "images/" + id(i) + "." + ext[i], "masks/" + id(i) + ".png", title,
                    ", \"target\": {\"color\": \"red\", \"category\": \"mug\"}, \"distractors\": [], \"n_distractors\": " + i));
        }
        write(root.resolve("test.jsonl"), s.toString().getBytes(StandardCharsets.UTF_8), false);
        return root;
    }

    /**
     * {@link #good} and then damage: test_000000's JPEG truncated; test_000001's mask replaced by
     * one of the wrong size; an empty mask record test_000005 (warning); appended lines 6 to 9:
     * broken JSON (line 7), invalid UTF-8 (line 8), a duplicate of test_000002 (line 9); and a
     * {@code train.jsonl} whose one record reuses the id test_000003. Usable: test_000002..5.
     */
    public static Path broken(Path root) {
        good(root);
        Path jpg = root.resolve("images/" + id(0) + ".jpg");
        try {
            TestImages.truncate(jpg, (int) Files.size(jpg) - 40);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestImages.grey(root.resolve("masks/" + id(1) + ".png"), 8, 5, (x, y) -> 255);
        TestImages.rgb(root.resolve("images/" + id(5) + ".png"), 8, 6, (x, y) -> 0x808080, "png");
        TestImages.grey(root.resolve("masks/" + id(5) + ".png"), 8, 6, (x, y) -> 0);
        Path split = root.resolve("test.jsonl");
        write(split, line(id(5), "images/" + id(5) + ".png", "masks/" + id(5) + ".png", "empty", "")
                .getBytes(StandardCharsets.UTF_8), true);
        write(split, "{\"id\": \"test_000006\", \"image\": \"images/x.jpg\",\n".getBytes(StandardCharsets.UTF_8), true);
        byte[] bad = line("test_000007", "images/" + id(2) + ".png", "masks/" + id(2) + ".png", "caf\u00e9", "")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bad.length - 1; i++) {
            if ((bad[i] & 0xff) == 0xC3) {
                bad[i + 1] = (byte) 0x28; // C3 28: an invalid two-byte sequence
            }
        }
        write(split, bad, true);
        write(split, line(id(2), "images/" + id(2) + ".png", "masks/" + id(2) + ".png", "again", "")
                .getBytes(StandardCharsets.UTF_8), true);
        write(root.resolve("train.jsonl"), line(id(3), "images/" + id(3) + ".png", "masks/" + id(3) + ".png", "leak", "")
                .getBytes(StandardCharsets.UTF_8), false);
        return root;
    }

    public static String line(String id, String image, String mask, String title, String extra) {
        return "{\"id\": \"" + id + "\", \"image\": \"" + image + "\", \"mask\": \"" + mask + "\", \"title\": \""
                + title + "\"" + extra + "}\n";
    }

    private static void write(Path file, byte[] bytes, boolean append) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (append) {
                Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.write(file, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyResource(String name, Path to) {
        try (InputStream in = TestDatasets.class.getResourceAsStream(name)) {
            Files.createDirectories(to.getParent());
            Files.copy(in, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
