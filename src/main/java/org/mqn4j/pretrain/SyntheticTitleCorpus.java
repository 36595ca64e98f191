package org.mqn4j.pretrain;

import org.mqn4j.data.Scene;
import org.mqn4j.data.SceneSampler;
import org.mqn4j.data.SynthRandom;
import org.mqn4j.data.Vocabulary;

import java.util.AbstractList;
import java.util.Map;

/**
 * Titles of the synthetic product world with their labels, for text pretraining. Title {@code i}
 * is the title of a scene drawn by {@link SceneSampler} from the stream {@code (seed, "corpus", i)}
 * — the same title writer, noise words and gift phrases as {@code mqn synth}, without drawing
 * pixels (the image task's samples are not changed). Labels follow what the title names: the
 * target's colour as attribute {@code color} and its category, each {@link TitleRecord#NONE} when the
 * title does not name it (then a gift phrase may still name another colour).
 */
public final class SyntheticTitleCorpus {
    /** The split name of the corpus stream, distinct from the image task's train/val/test. */
    public static final String SPLIT = "corpus";
    public static final String COLOR = "color";

    private final SceneSampler sampler;
    private final long seed;

    public SyntheticTitleCorpus(Vocabulary vocab, long seed) {
        this.sampler = new SceneSampler(vocab);
        this.seed = seed;
    }

    /** Record {@code index}: a function of (seed, index) only. */
    public TitleRecord record(int index) {
        Scene scene = sampler.sample(SynthRandom.forSample(seed, SPLIT, index));
        Scene.Item target = scene.targetItem();
        String colour = scene.titleNames().contains("color") ? target.colour().en() : TitleRecord.NONE;
        String category = scene.titleNames().contains("category") ? target.category().en() : TitleRecord.NONE;
        return new TitleRecord(scene.title(), Map.of(COLOR, colour), category);
    }

    /** Records 0..n-1, made on demand. */
    public java.util.List<TitleRecord> records(int n) {
        return new AbstractList<>() {
            @Override
            public TitleRecord get(int i) {
                return record(i);
            }

            @Override
            public int size() {
                return n;
            }
        };
    }
}
