package org.mqn4j.pretrain;

import org.mqn4j.data.Scene;
import org.mqn4j.data.Vocabulary;

/**
 * The labels of {@link SceneParsingNetwork}: what every pixel of a generated scene shows (its category and
 * its colour; 0 for the background and for non-product occluders), pooled to the cells of a stage's grid
 * as class shares. Cell (r, c) of a grid with {@code stride} px cells averages the pixels
 * [r·stride, (r+1)·stride) × [c·stride, (c+1)·stride); pixels past the image (Swin's padding) count as
 * background, so every cell's shares sum to 1.
 */
public final class SceneParsingLabels {
    private SceneParsingLabels() {
    }

    /** Class of each pixel by category: 0 background or occluder, 1 + the category's index in the vocabulary. */
    public static int[] categories(Scene scene, int[] ids, Vocabulary vocab) {
        int[] classOf = new int[scene.items().size() + 1];
        for (int i = 0; i < scene.items().size(); i++) {
            Scene.Item item = scene.items().get(i);
            classOf[i + 1] = item.isProduct() ? 1 + index(vocab.categories().stream().map(Vocabulary.Category::en).toList(), item.category().en()) : 0;
        }
        return map(ids, classOf);
    }

    /** Class of each pixel by colour: 0 background or occluder, 1 + the colour's index in the vocabulary. */
    public static int[] colours(Scene scene, int[] ids, Vocabulary vocab) {
        int[] classOf = new int[scene.items().size() + 1];
        for (int i = 0; i < scene.items().size(); i++) {
            Scene.Item item = scene.items().get(i);
            classOf[i + 1] = item.isProduct() ? 1 + index(vocab.colours().stream().map(Vocabulary.Colour::en).toList(), item.colour().en()) : 0;
        }
        return map(ids, classOf);
    }

    private static int index(java.util.List<String> names, String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("'" + name + "' is not in the vocabulary " + names);
        }
        return i;
    }

    private static int[] map(int[] ids, int[] classOf) {
        int[] out = new int[ids.length];
        for (int p = 0; p < ids.length; p++) {
            out[p] = classOf[ids[p]];
        }
        return out;
    }

    /**
     * Class shares per cell, row-major [h·w, classes], of a class map {@code size}×{@code size} (row-major).
     *
     * @throws IllegalArgumentException when the cells do not tile the image (as {@code PixelLoss.pooledTarget})
     */
    public static float[] pooled(int[] classes, int size, int h, int w, int stride, int numClasses) {
        if ((long) h * stride < size || (long) w * stride < size || (long) (h - 1) * stride >= size
                || (long) (w - 1) * stride >= size) {
            throw new IllegalArgumentException(h + "x" + w + " cells of " + stride + " px do not tile a " + size + " px image");
        }
        float[] out = new float[h * w * numClasses];
        float share = 1f / (stride * stride);
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int cell = (r * w + c) * numClasses;
                for (int y = r * stride; y < (r + 1) * stride; y++) {
                    for (int x = c * stride; x < (c + 1) * stride; x++) {
                        int k = y < size && x < size ? classes[y * size + x] : 0;
                        out[cell + k] += share;
                    }
                }
            }
        }
        return out;
    }
}
