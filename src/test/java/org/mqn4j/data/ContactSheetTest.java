package org.mqn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactSheetTest {

    @Test
    void overlayKeepsTheTargetOutlinesItAndDarkensTheRest() {
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                image.setRGB(x, y, 0xC8C8C8);
                mask.getRaster().setSample(x, y, 0, x >= 3 && x <= 6 && y >= 3 && y <= 6 ? 255 : 0);
            }
        }
        BufferedImage o = ContactSheet.overlay(image, mask);
        assertEquals(0xC8C8C8, o.getRGB(4, 4) & 0xFFFFFF, "inside: unchanged");
        assertEquals(0xFFE600, o.getRGB(3, 4) & 0xFFFFFF, "border: yellow");
        assertTrue((o.getRGB(0, 0) & 0xFF) < 0x50, "outside: darkened");
    }

    @Test
    void glossNamesVocabularyWordsInEnglish() {
        ContactSheet sheet = new ContactSheet(Vocabulary.standard());
        String g = sheet.gloss("优品 红色杯子 送蓝色杯垫", new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        assertTrue(g.contains("[red][mug]"), g);
        assertTrue(g.contains("+gift:[blue]"), g);
    }

    @Test
    void writesAGridOfTheDataset(@TempDir Path tmp) throws Exception {
        new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(),
                SynthConfig.builder().size(32).seed(0).build()), 1).write(tmp, Map.of("train", 5, "test", 2), false);
        Path out = tmp.resolve("sheet.png");
        new ContactSheet(Vocabulary.standard()).write(tmp, out, 16);
        BufferedImage img = ImageIO.read(out.toFile());
        // 7 samples in 2 columns: 4 rows of 128 + 6 px under a 22 px header.
        assertEquals(22 + 4 * 134 + 6, img.getHeight());
        assertTrue(img.getWidth() > 4 * 128);
    }
}
