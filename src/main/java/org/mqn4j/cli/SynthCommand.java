package org.mqn4j.cli;

import org.mqn4j.data.ContactSheet;
import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mqn synth}: generates the synthetic product task in the MMPS layout. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generate the synthetic product task (a target and 0-3 distractors, noisy Chinese titles) "
                + "in the MMPS layout: <out>/{train,val,test}.jsonl, images/<id>.jpg, masks/<id>.png, and "
                + "contact-sheet.png to look at. A split with 0 samples gets no jsonl file. Sample i of a split "
                + "depends only on (seed, split, i), so the output is the same for any --threads.")
public final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--train", defaultValue = "2000", description = "Training samples (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--val", description = "Validation samples; 0 writes no val.jsonl (default: --train / 10).")
    Integer val;

    @Option(names = "--test", defaultValue = "500", description = "Test samples (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--size", defaultValue = "128", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "0", description = "Dataset seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--force", description = "Overwrite a dataset already in --out.")
    boolean force;

    @Option(names = "--referents", defaultValue = "0", description = "Per training photo, up to this many further "
            + "records (0-3) asking for its other products: the same image, that product's mask and a title naming "
            + "it. Validation and test get none (default: ${DEFAULT-VALUE}).")
    int referents;

    @Override
    public Integer call() {
        int val = this.val != null ? this.val : train / 10;
        if (train < 0 || val < 0 || test < 0) {
            throw new MqnException("--train, --val and --test must be >= 0");
        }
        if (train + val + test == 0) {
            throw new MqnException("nothing to generate: --train, --val and --test are all 0");
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (t < 1) {
            throw new MqnException("--threads must be >= 1, got " + t);
        }
        SynthConfig config;
        try {
            config = SynthConfig.builder().size(size).seed(seed).build();
        } catch (IllegalArgumentException e) {
            throw new MqnException("--size: " + e.getMessage());
        }
        System.setProperty("java.awt.headless", "true");
        Vocabulary vocab = Vocabulary.standard();
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("train", train);
        counts.put("val", val);
        counts.put("test", test);
        if (referents < 0 || referents > 3) {
            throw new MqnException("--referents must be in 0..3 (a scene has at most 3 other products), got " + referents);
        }
        SyntheticDatasetWriter.Summary summary = new SyntheticDatasetWriter(new SyntheticProducts(vocab, config), t,
                referents).write(out, counts, force);
        Path sheet = out.resolve("contact-sheet.png");
        boolean cjk = new ContactSheet(vocab).write(out, sheet, 16);

        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %d records (%s) of %dx%d px to %s in %.1f s (%.0f records/s, %d threads)%n",
                summary.total(), summary.counts(), size, size, out.toAbsolutePath().normalize(), summary.seconds(),
                summary.total() / Math.max(summary.seconds(), 1e-9), t);
        int[] h = summary.distractorHistogram();
        o.printf(Locale.ROOT, "distractors per image: 0: %d, 1: %d, 2: %d, 3: %d%n", h[0], h[1], h[2], h[3]);
        if (summary.referents() > 0) {
            o.printf(Locale.ROOT, "referent records (same photo, another product named): %d of the train split's %d%n",
                    summary.referents(), summary.counts().getOrDefault("train", 0));
        }
        o.printf(Locale.ROOT, "title names: %s%n", summary.titleNames());
        o.printf(Locale.ROOT, "contact sheet: %s%s%n", sheet,
                cjk ? "" : " (no CJK font installed: titles glossed in English)");
        o.flush();
        return 0;
    }
}
