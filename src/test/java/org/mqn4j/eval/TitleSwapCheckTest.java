package org.mqn4j.eval;

import org.junit.jupiter.api.Test;
import org.mqn4j.data.Scene;
import org.mqn4j.data.SceneRenderer;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check against two oracles: one that reads the title perfectly and one that ignores it. */
class TitleSwapCheckTest {
    static final SyntheticProducts PRODUCTS = new SyntheticProducts(Vocabulary.standard(), new SynthConfig(64, 5, 0.9f));

    /** Knows each image's scene (by identity): the perfect masks of what a title names. */
    static final class Oracle implements TitleSwapCheck.Segmenter {
        final Map<BufferedImage, Scene> scenes = new IdentityHashMap<>();
        final boolean readsTitle;

        Oracle(boolean readsTitle) {
            this.readsTitle = readsTitle;
        }

        @Override
        public List<boolean[]> segment(List<BufferedImage> images, List<String> titles) {
            List<boolean[]> out = new ArrayList<>();
            for (int k = 0; k < images.size(); k++) {
                Scene scene = scenes.get(images.get(k));
                int pick = scene.target();
                // the scene's own title names its target; any other title is read for a distractor's colour and category
                for (int i = 0; readsTitle && !titles.get(k).equals(scene.title()) && i < scene.items().size(); i++) {
                    Scene.Item it = scene.items().get(i);
                    if (i != scene.target() && it.isProduct() && titles.get(k).contains(it.colour().zh())
                            && titles.get(k).contains(it.category().zh()) && TitleSwapCheck.nameableDistractor(scene) == i) {
                        pick = i;
                    }
                }
                int[] ids = new SceneRenderer().ids(scene, images.get(k).getWidth());
                boolean[] m = new boolean[ids.length];
                for (int p = 0; p < ids.length; p++) {
                    m[p] = ids[p] == pick + 1;
                }
                out.add(m);
            }
            return out;
        }
    }

    static TitleSwapCheck.Result run(boolean readsTitle) {
        Oracle oracle = new Oracle(readsTitle);
        SyntheticProducts remembering = PRODUCTS;
        TitleSwapCheck.Segmenter s = (images, titles) -> {
            for (BufferedImage img : images) {
                oracle.scenes.computeIfAbsent(img, i -> sceneOf(i));
            }
            return oracle.segment(images, titles);
        };
        return TitleSwapCheck.run(remembering, "test", 12, 5, s, null);
    }

    /** Finds the scene whose rendering is this image (the check renders scenes 0, 1, 2, ... of "test"). */
    static Scene sceneOf(BufferedImage img) {
        for (int i = 0; i < 200; i++) {
            SyntheticProducts.Sample s = PRODUCTS.sample("test", i);
            if (same(s.image(), img)) {
                return s.scene();
            }
        }
        throw new AssertionError("image not found");
    }

    static boolean same(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void aModelThatReadsTheTitleFollowsBothRequests() {
        TitleSwapCheck.Result r = run(true);
        assertEquals(12, r.scenes());
        assertEquals(12, r.originalFollowed());
        assertEquals(12, r.swappedFollowed());
        assertEquals(100.0, r.bothRate());
        assertEquals(1.0, r.swappedIoU(), 1e-12);
        assertTrue(r.swappedTargetIoU() < 0.05, "the distractor's mask barely overlaps the target's: " + r.swappedTargetIoU());
        assertTrue(r.table().contains("| swapped title (names a distractor) | 100.0 |"), r.table());
    }

    @Test
    void aModelThatIgnoresTheTitleFollowsOnlyItsOwnGuess() {
        TitleSwapCheck.Result r = run(false);
        assertEquals(12, r.scenes());
        assertEquals(12, r.originalFollowed());
        assertEquals(0, r.swappedFollowed());
        assertEquals(0, r.bothFollowed());
        assertEquals(1.0, r.originalIoU(), 1e-12);
        assertTrue(r.swappedIoU() < 0.05);
    }
}
