package org.mqn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.mqn4j.text.TextBenchmark;
import org.mqn4j.text.TextConfig;
import org.mqn4j.util.Benchmark;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mqn bench text}: the text encoder's forward and forward+backward latency per title length. */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = {"Time mqn4j's text encoder (random weights): forward at batch 1 and forward+backward at batch 2 "
                + "for each title length, median of the timed runs after warm-up, with peak memory and threads.",
                "Threads: set OMP_NUM_THREADS (the ./mqn launcher defaults it to 1).",
                "Compare with the torch reference: tools/bench_text.py."})
public final class BenchTextCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "conf/text_base.yaml",
            description = "Text encoder configuration: conf/text_*.yaml or a HuggingFace config.json (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--lengths", defaultValue = "20,100", split = ",", description = "Title lengths in tokens (default: ${DEFAULT-VALUE}).")
    int[] lengths;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "7", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (for tools/bench_text.py).")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || warmup < 0) {
            throw new MqnException("--runs must be at least 1 and --warmup at least 0");
        }
        TextConfig c = TextConfig.load(config);
        for (int t : lengths) {
            if (t < 1 || t > c.maxSequenceLength()) {
                throw new MqnException("--lengths: " + t + " is outside 1.." + c.maxSequenceLength() + " for " + config);
            }
        }
        System.err.println("bench text: " + c + " at lengths " + Arrays.toString(lengths));
        TextBenchmark.Result r = TextBenchmark.run(c, lengths, 1, 2, warmup, runs, System.err);
        System.out.printf(Locale.ROOT, "text encoder %s, %,d parameters; ND4J threads %d (OMP_NUM_THREADS=%s, %d processors); "
                        + "%d warm-up + %d timed runs%n", config, r.parameters(), r.nd4jThreads(), r.ompThreads(),
                r.processors(), warmup, runs);
        Benchmark.printTable(System.out, r.phases());
        if (json != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r);
        }
        return 0;
    }
}
