package org.mqn4j.data;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The synthetic product task: sample {@code i} of a split, made from (seed, split, i) alone, so any
 * subset of samples can be made in any order on any number of threads with the same result.
 * Scenes where the target shows less than {@link #MIN_TARGET_VISIBLE} of its silhouette (or a
 * distractor less than {@link #MIN_DISTRACTOR_VISIBLE}) are resampled from the same stream.
 * Thread-safe.
 */
public final class SyntheticProducts {
    public static final double MIN_TARGET_VISIBLE = 0.4;
    public static final double MIN_DISTRACTOR_VISIBLE = 0.25;
    /** The target covers at least this fraction of the image. */
    public static final double MIN_TARGET_AREA = 0.006;
    private static final int MAX_ATTEMPTS = 1000;

    /** One generated sample: its scene, the photo and the target's mask (0/255, row-major). */
    public record Sample(String id, String split, int index, Scene scene, BufferedImage image, byte[] mask) {
    }

    private final SynthConfig config;
    private final SceneSampler sampler;
    private final SceneRenderer renderer = new SceneRenderer();

    public SyntheticProducts(Vocabulary vocab, SynthConfig config) {
        this.config = config;
        this.sampler = new SceneSampler(vocab);
    }

    public SynthConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return sampler.vocabulary();
    }

    /** The id of sample {@code index} of {@code split}: unique across splits, e.g. {@code test_000017}. */
    public static String id(String split, int index) {
        return String.format("%s_%06d", split, index);
    }

    public Sample sample(String split, int index) {
        Scene scene = scene(split, index);
        SceneRenderer.Rendering rendering = renderer.render(scene, config.size());
        return new Sample(id(split, index), split, index, scene, rendering.image(), rendering.mask(scene.target()));
    }

    /** The scene of a sample, checked for visibility at the configured size. */
    public Scene scene(String split, int index) {
        SynthRandom r = SynthRandom.forSample(config.seed(), split, index);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Scene scene = sampler.sample(r);
            if (visibleEnough(scene)) {
                return scene;
            }
        }
        throw new IllegalStateException("no acceptable scene for " + id(split, index) + " in " + MAX_ATTEMPTS + " attempts");
    }

    private boolean visibleEnough(Scene scene) {
        int size = config.size();
        int[] ids = renderer.ids(scene, size);
        List<Scene.Item> items = scene.items();
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isProduct()) {
                continue;
            }
            boolean[] sil = renderer.silhouette(scene, i, size);
            int whole = 0;
            int visible = 0;
            for (int p = 0; p < ids.length; p++) {
                if (sil[p]) {
                    whole++;
                    if (ids[p] == i + 1) {
                        visible++;
                    }
                }
            }
            boolean target = i == scene.target();
            if (target && visible < MIN_TARGET_AREA * ids.length) {
                return false;
            }
            if (whole == 0 || visible < (target ? MIN_TARGET_VISIBLE : MIN_DISTRACTOR_VISIBLE) * whole) {
                return false;
            }
        }
        return true;
    }
}
