package org.mqn4j.eval;

import org.mqn4j.data.ProductTitle;
import org.mqn4j.data.Scene;
import org.mqn4j.data.SceneRenderer;
import org.mqn4j.data.SynthRandom;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.util.Progress;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Does the title steer the mask? On generated scenes with distractors, the model is asked twice:
 * with the scene's own title (which names the target) and with a new title that names one
 * distractor by colour and category (a distractor no other product of the scene matches). A
 * request is <em>followed</em> when the predicted mask overlaps the named product with IoU ≥ 0.5
 * and more than any other product. A model that ignores the title cannot follow both requests of
 * a scene; one that reads it follows the swapped title about as often as the original.
 */
public final class TitleSwapCheck {
    /** IoU with the named product a followed request needs. */
    public static final double FOLLOW_IOU = 0.5;

    /** Any segmenter: masks at the images' sizes, row-major. */
    @FunctionalInterface
    public interface Segmenter {
        List<boolean[]> segment(List<BufferedImage> images, List<String> titles);
    }

    /**
     * @param scenes           scenes asked about (each has a nameable distractor)
     * @param originalFollowed scenes whose own title's mask selects the target
     * @param swappedFollowed  scenes whose swapped title's mask selects the named distractor
     * @param bothFollowed     scenes where both requests are followed
     * @param originalIoU      mean IoU of the own title's mask with the target
     * @param swappedIoU       mean IoU of the swapped title's mask with the named distractor
     * @param swappedTargetIoU mean IoU of the swapped title's mask with the (no longer named) target
     */
    public record Result(int scenes, int originalFollowed, int swappedFollowed, int bothFollowed, double originalIoU,
                         double swappedIoU, double swappedTargetIoU) {

        public double originalRate() {
            return 100.0 * originalFollowed / Math.max(1, scenes);
        }

        public double swappedRate() {
            return 100.0 * swappedFollowed / Math.max(1, scenes);
        }

        public double bothRate() {
            return 100.0 * bothFollowed / Math.max(1, scenes);
        }

        /** A Markdown table of the result. */
        public String table() {
            return String.format(Locale.ROOT, """
                    | title | followed (%%) | IoU with the named product | IoU with the scene's target |
                    |---|---|---|---|
                    | own title (names the target) | %.1f | %.2f | %.2f |
                    | swapped title (names a distractor) | %.1f | %.2f | %.2f |
                    | both followed | %.1f | | |
                    
                    %d generated scenes with distractors; followed = IoU >= %.1f with the named product and above every other product.
                    """, originalRate(), 100 * originalIoU, 100 * originalIoU, swappedRate(), 100 * swappedIoU,
                    100 * swappedTargetIoU, bothRate(), scenes, FOLLOW_IOU);
        }
    }

    private TitleSwapCheck() {
    }

    /**
     * Asks about the first {@code count} scenes of {@code split} (indices from 0) that have a nameable
     * distractor, {@code batch} scenes per segmenter call.
     */
    public static Result run(SyntheticProducts products, String split, int count, int batch, Segmenter segmenter,
                             Progress progress) {
        Vocabulary vocab = products.vocabulary();
        ProductTitle writer = new ProductTitle(vocab);
        SceneRenderer renderer = new SceneRenderer();
        int size = products.config().size();
        List<Case> cases = new ArrayList<>();
        int scenes = 0, original = 0, swapped = 0, both = 0;
        double originalIoU = 0, swappedIoU = 0, swappedTargetIoU = 0;
        for (int index = 0; scenes + cases.size() < count; index++) {
            if (index > 100 * count + 1000) {
                break;  // a split without distractors
            }
            SyntheticProducts.Sample s = products.sample(split, index);
            int named = nameableDistractor(s.scene());
            if (named < 0) {
                continue;
            }
            Scene scene = s.scene();
            List<Vocabulary.Colour> others = new ArrayList<>();
            for (int i = 0; i < scene.items().size(); i++) {
                if (i != named && scene.items().get(i).isProduct()) {
                    others.add(scene.items().get(i).colour());
                }
            }
            Scene.Item d = scene.items().get(named);
            String title = writer.write(d.colour(), d.category(), Set.of("color", "category"), others,
                    SynthRandom.forSample(products.config().seed() + 1, "swap-" + split, index)).text();
            // the sample's image is the scene already drawn; only the object ids are needed besides it
            cases.add(new Case(s.image(), scene, renderer.ids(scene, size), named, scene.title(), title));
            if (cases.size() == batch || scenes + cases.size() == count) {
                List<BufferedImage> images = new ArrayList<>();
                List<String> titles = new ArrayList<>();
                for (Case c : cases) {
                    images.add(c.image);
                    titles.add(c.ownTitle);
                    images.add(c.image);
                    titles.add(c.swappedTitle);
                }
                List<boolean[]> masks = segmenter.segment(images, titles);
                for (int k = 0; k < cases.size(); k++) {
                    Case c = cases.get(k);
                    int target = c.scene.target();
                    boolean[] own = masks.get(2 * k);
                    boolean[] swap = masks.get(2 * k + 1);
                    boolean o = follows(own, c.ids, c.scene, target);
                    boolean w = follows(swap, c.ids, c.scene, c.named);
                    original += o ? 1 : 0;
                    swapped += w ? 1 : 0;
                    both += o && w ? 1 : 0;
                    originalIoU += iou(own, c.ids, target + 1);
                    swappedIoU += iou(swap, c.ids, c.named + 1);
                    swappedTargetIoU += iou(swap, c.ids, target + 1);
                    scenes++;
                    if (progress != null) {
                        progress.step();
                    }
                }
                cases.clear();
            }
        }
        int n = Math.max(1, scenes);
        return new Result(scenes, original, swapped, both, originalIoU / n, swappedIoU / n, swappedTargetIoU / n);
    }

    private record Case(BufferedImage image, Scene scene, int[] ids, int named, String ownTitle,
                        String swappedTitle) {
    }

    /** Index of the first distractor whose colour and category no other product shares, or -1. */
    static int nameableDistractor(Scene scene) {
        List<Scene.Item> items = scene.items();
        for (int i = 0; i < items.size(); i++) {
            Scene.Item d = items.get(i);
            if (i == scene.target() || !d.isProduct()) {
                continue;
            }
            boolean unique = true;
            for (int j = 0; j < items.size(); j++) {
                Scene.Item o = items.get(j);
                if (j != i && o.isProduct() && o.colour().equals(d.colour()) && o.category().equals(d.category())) {
                    unique = false;
                }
            }
            if (unique) {
                return i;
            }
        }
        return -1;
    }

    /** IoU ≥ {@link #FOLLOW_IOU} with item {@code named} and above every other product. */
    static boolean follows(boolean[] mask, int[] ids, Scene scene, int named) {
        double best = iou(mask, ids, named + 1);
        if (best < FOLLOW_IOU) {
            return false;
        }
        for (int i = 0; i < scene.items().size(); i++) {
            if (i != named && scene.items().get(i).isProduct() && iou(mask, ids, i + 1) >= best) {
                return false;
            }
        }
        return true;
    }

    /** IoU of a mask with the pixels whose id is {@code id}; 0 when both are empty. */
    static double iou(boolean[] mask, int[] ids, int id) {
        long inter = 0, union = 0;
        for (int p = 0; p < ids.length; p++) {
            boolean a = mask[p];
            boolean b = ids[p] == id;
            inter += a && b ? 1 : 0;
            union += a || b ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }
}
