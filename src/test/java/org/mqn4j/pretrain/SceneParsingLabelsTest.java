package org.mqn4j.pretrain;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.Scene;
import org.mqn4j.data.SceneRenderer;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneParsingLabelsTest {

    @Test
    void poolsClassSharesPerCellWithPaddingAsBackground() {
        // a 3x3 image, cells of 2 px: a 2x2 grid whose last row and column cover one image pixel and three padding pixels
        int[] classes = {
                1, 2, 2,
                1, 1, 0,
                2, 0, 1};
        float[] got = SceneParsingLabels.pooled(classes, 3, 2, 2, 2, 3);
        float[] expected = {
                0f, 0.75f, 0.25f,   // cell (0,0): 1, 2, 1, 1
                0.75f, 0f, 0.25f,   // cell (0,1): 2, pad | 0, pad
                0.75f, 0f, 0.25f,   // cell (1,0): 2, 0 | pad, pad
                0.75f, 0.25f, 0f};  // cell (1,1): 1 | pad ×3
        assertArrayEquals(expected, got, 1e-6f);
    }

    @Test
    void cellsMustTileTheImage() {
        assertThrows(IllegalArgumentException.class, () -> SceneParsingLabels.pooled(new int[16], 4, 1, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> SceneParsingLabels.pooled(new int[16], 4, 3, 3, 2, 2));
    }

    @Test
    void everyPixelGetsItsObjectsCategoryAndColourAndOccludersAreBackground() {
        Vocabulary vocab = Vocabulary.standard();
        SyntheticProducts products = new SyntheticProducts(vocab, SynthConfig.builder().size(48).seed(3).build());
        int occluderPixels = 0, productPixels = 0;
        for (int index = 0; index < 20; index++) {
            Scene scene = products.scene("train", index);
            int[] ids = new SceneRenderer().ids(scene, 48);
            int[] cat = SceneParsingLabels.categories(scene, ids, vocab);
            int[] col = SceneParsingLabels.colours(scene, ids, vocab);
            for (int p = 0; p < ids.length; p++) {
                if (ids[p] == 0 || !scene.items().get(ids[p] - 1).isProduct()) {
                    occluderPixels += ids[p] == 0 ? 0 : 1;
                    assertEquals(0, cat[p]);
                    assertEquals(0, col[p]);
                } else {
                    productPixels++;
                    Scene.Item item = scene.items().get(ids[p] - 1);
                    assertEquals(item.category().en(), vocab.categories().get(cat[p] - 1).en());
                    assertEquals(item.colour().en(), vocab.colours().get(col[p] - 1).en());
                }
            }
            float[] shares = SceneParsingLabels.pooled(cat, 48, 6, 6, 8, vocab.categories().size() + 1);
            for (int c = 0; c < 36; c++) {
                double sum = 0;
                for (int k = 0; k <= vocab.categories().size(); k++) {
                    sum += shares[c * (vocab.categories().size() + 1) + k];
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
        assertTrue(productPixels > 0 && occluderPixels > 0, "the scenes have products and occluders");
    }
}
