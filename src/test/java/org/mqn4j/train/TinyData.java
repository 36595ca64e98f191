package org.mqn4j.train;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tiny MMPS dataset for trainer tests: 16x16 PNGs of a red or blue rectangle on grey with the
 * rectangle as the mask, titled "red ..." or "blue ...", in train.jsonl and val.jsonl.
 */
final class TinyData {
    private TinyData() {
    }

    static Path write(Path root, int train, int val, long seed) {
        Random r = new Random(seed);
        try {
            Files.createDirectories(root.resolve("images"));
            Files.createDirectories(root.resolve("masks"));
            split(root, "train", train, r);
            split(root, "val", val, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private static void split(Path root, String split, int n, Random r) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String id = split + "_" + i;
            boolean red = r.nextBoolean();
            int x0 = r.nextInt(8);
            int y0 = r.nextInt(8);
            int w = 4 + r.nextInt(8);
            int h = 4 + r.nextInt(8);
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            BufferedImage mask = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    boolean in = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
                    img.setRGB(x, y, in ? (red ? 0xD02020 : 0x2030D0) : 0x808080);
                    mask.getRaster().setSample(x, y, 0, in ? 255 : 0);
                }
            }
            ImageIO.write(img, "png", root.resolve("images/" + id + ".png").toFile());
            ImageIO.write(mask, "png", root.resolve("masks/" + id + ".png").toFile());
            lines.append("{\"id\": \"").append(id).append("\", \"image\": \"images/").append(id)
                    .append(".png\", \"mask\": \"masks/").append(id).append(".png\", \"title\": \"")
                    .append(red ? "red" : "blue").append(" box ").append(i % 3 == 0 ? "新款" : "").append("\"}\n");
        }
        Files.writeString(root.resolve(split + ".jsonl"), lines.toString(), StandardCharsets.UTF_8);
    }
}
