package org.mqn4j.data;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /**
     * Further records of a sample's photo (referring pairs): one for each other product that a title can single
     * out ({@link SceneSampler#retarget}) and that shows as much as a target must, with that product's visible
     * mask and a new title naming it; at most {@code max}, in drawing order. Ids are the sample's plus
     * {@code _r1}, {@code _r2}, ...; the titles depend only on (seed, split, index).
     */
    public List<Sample> referents(Sample s, int max) {
        List<Sample> out = new ArrayList<>();
        if (max <= 0) {
            return out;
        }
        Scene scene = s.scene();
        int[] ids = renderer.ids(scene, config.size());
        SynthRandom r = SynthRandom.forSample(config.seed(), "referents-" + s.split(), s.index());
        for (int i = 0; i < scene.items().size() && out.size() < max; i++) {
            if (i == scene.target() || !scene.items().get(i).isProduct() || !showsAsTarget(scene, ids, i)) {
                continue;
            }
            Optional<Scene> other = sampler.retarget(scene, i, r);
            if (other.isPresent()) {
                byte[] mask = new SceneRenderer.Rendering(s.image(), ids, config.size()).mask(i);
                out.add(new Sample(s.id() + "_r" + (out.size() + 1), s.split(), s.index(), other.get(), s.image(), mask));
            }
        }
        return out;
    }

    private boolean visibleEnough(Scene scene) {
        int[] ids = renderer.ids(scene, config.size());
        for (int i = 0; i < scene.items().size(); i++) {
            if (!scene.items().get(i).isProduct()) {
                continue;
            }
            if (i == scene.target() ? !showsAsTarget(scene, ids, i) : !shows(scene, ids, i, MIN_DISTRACTOR_VISIBLE)) {
                return false;
            }
        }
        return true;
    }

    /** Whether product {@code i} is large enough, and shows enough of itself, to be a target. */
    private boolean showsAsTarget(Scene scene, int[] ids, int i) {
        int visible = 0;
        for (int id : ids) {
            visible += id == i + 1 ? 1 : 0;
        }
        return visible >= MIN_TARGET_AREA * ids.length && shows(scene, ids, i, MIN_TARGET_VISIBLE);
    }

    /** Whether at least {@code share} of item {@code i}'s silhouette is in front (false without a silhouette). */
    private boolean shows(Scene scene, int[] ids, int i, double share) {
        boolean[] sil = renderer.silhouette(scene, i, config.size());
        int whole = 0;
        int visible = 0;
        for (int p = 0; p < ids.length; p++) {
            if (sil[p]) {
                whole++;
                visible += ids[p] == i + 1 ? 1 : 0;
            }
        }
        return whole > 0 && visible >= share * whole;
    }
}
