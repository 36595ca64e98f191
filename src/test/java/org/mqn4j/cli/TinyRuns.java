package org.mqn4j.cli;

import org.mqn4j.data.SynthConfig;
import org.mqn4j.data.SyntheticDatasetWriter;
import org.mqn4j.data.SyntheticProducts;
import org.mqn4j.data.Vocabulary;
import org.mqn4j.fusion.MqnConfig.Variant;
import org.mqn4j.serve.TinyServe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tiny network and data set that the commands training child JVMs (ablate, search) are tested on. */
final class TinyRuns {
    private TinyRuns() {
    }

    /** {@code dir/tiny.yaml}: the tiny MQN, one epoch of batch 4 at rate 1e-2, seed 3, one data thread. */
    static Path config(Path dir) throws Exception {
        return config(dir, TinyServe.config(Variant.MQN));
    }

    /** As {@link #config(Path)} with another model section. */
    static Path config(Path dir, org.mqn4j.fusion.MqnConfig model) throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, model.toYaml() + "train:\n  epochs: 1\n  batch_size: 4\n"
                + "  learning_rate: 1.0e-2\n  seed: 3\n  data_threads: 1\n  time_budget_minutes: 10\n");
        return config;
    }

    /** {@code dir/data}: generated products at the tiny network's size, {@code splitSizes} as split, count, split, count... */
    static Path data(Path dir, Object... splitSizes) throws Exception {
        Path data = dir.resolve("data");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < splitSizes.length; i += 2) {
            counts.put((String) splitSizes[i], (Integer) splitSizes[i + 1]);
        }
        new SyntheticDatasetWriter(new SyntheticProducts(Vocabulary.standard(), SynthConfig.builder().size(TinyServe.S).seed(5).build()), 1)
                .write(data, counts, false);
        return data;
    }
}
