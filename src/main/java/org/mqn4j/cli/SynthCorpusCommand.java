package org.mqn4j.cli;

import org.mqn4j.data.Vocabulary;
import org.mqn4j.pretrain.SyntheticTitleCorpus;
import org.mqn4j.pretrain.TitleCorpus;
import org.mqn4j.pretrain.TitleRecord;
import org.mqn4j.util.MqnException;
import org.mqn4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code mqn synth-corpus}: titles of the synthetic product world for {@code mqn pretrain-text}. */
@Command(name = "synth-corpus", mixinStandardHelpOptions = true,
        description = {"Generate a pretraining corpus of synthetic product titles (the title writer of `mqn synth`: "
                + "brands, promotions, sizes, gift phrases), one JSON object per line: "
                + "{\"title\": ..., \"attributes\": {\"color\": ...}, \"category\": ...}; a value is \"none\" where the "
                + "title does not name it. Title i depends only on (seed, i)."})
public final class SynthCorpusCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .jsonl file.")
    Path out;

    @Option(names = "--n", defaultValue = "50000", description = "Number of titles (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "Corpus seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Overwrite an existing --out file.")
    boolean force;

    @Override
    public Integer call() {
        if (n < 1) {
            throw new MqnException("--n must be at least 1, got " + n);
        }
        if (Files.exists(out) && !force) {
            throw new MqnException(out + " already exists; pass --force to overwrite it");
        }
        SyntheticTitleCorpus corpus = new SyntheticTitleCorpus(Vocabulary.standard(), seed);
        Map<String, Integer> colours = new TreeMap<>();
        Map<String, Integer> categories = new TreeMap<>();
        long t0 = System.nanoTime();
        try (Progress bar = new Progress("titles", n)) {
            TitleCorpus.write(out, new AbstractList<TitleRecord>() {
                @Override
                public TitleRecord get(int i) {
                    TitleRecord r = corpus.record(i);
                    colours.merge(r.attribute(SyntheticTitleCorpus.COLOR), 1, Integer::sum);
                    categories.merge(r.category(), 1, Integer::sum);
                    bar.step();
                    return r;
                }

                @Override
                public int size() {
                    return n;
                }
            });
        }
        System.out.printf(Locale.ROOT, "wrote %d titles to %s in %.1f s%n", n, out, (System.nanoTime() - t0) / 1e9);
        System.out.println("color: " + colours);
        System.out.println("category: " + categories);
        return 0;
    }
}
