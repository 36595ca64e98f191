package org.mqn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.mqn4j.swin.SwinBenchmark;
import org.mqn4j.util.Benchmark;
import org.mqn4j.swin.SwinConfig;
import org.mqn4j.util.MqnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mqn bench swin}: forward latency at batch 1, forward+backward at batch 2, peak memory, threads. */
@Command(name = "swin", mixinStandardHelpOptions = true,
        description = {"Time mqn4j's Swin backbone (random weights): forward at batch 1 and forward+backward at "
                + "batch 2, median of the timed runs after warm-up, with peak memory and threads.",
                "Threads: set OMP_NUM_THREADS (the ./mqn launcher defaults it to 1).",
                "Compare with torchvision: tools/bench_swin.py."})
public final class BenchSwinCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "conf/swin_t.yaml", paramLabel = "FILE|swin_t|swin_s|swin_b",
            description = "Swin configuration: a YAML file or a torchvision name (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--size", defaultValue = "224", description = "Image height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "7", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (for tools/bench_swin.py).")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || warmup < 0 || size < 1) {
            throw new MqnException("--runs must be at least 1, --warmup at least 0, --size positive");
        }
        SwinConfig c = switch (config) {
            case "swin_t" -> SwinConfig.swinT();
            case "swin_s" -> SwinConfig.swinS();
            case "swin_b" -> SwinConfig.swinB(7);
            default -> SwinConfig.load(Path.of(config));
        };
        c = c.toBuilder().stochasticDepth(0).build(); // inference graph: timings without random drops
        System.err.println("bench swin: " + c + " at " + size + "x" + size);
        SwinBenchmark.Result r = SwinBenchmark.run(c, size, 1, 2, warmup, runs, System.err);
        System.out.printf(Locale.ROOT, "Swin %s at %dx%d, %,d parameters (backbone); ND4J threads %d "
                        + "(OMP_NUM_THREADS=%s, %d processors); %d warm-up + %d timed runs%n",
                config, size, size, r.parameters(), r.nd4jThreads(), r.ompThreads(), r.processors(), warmup, runs);
        Benchmark.printTable(System.out, r.phases());
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r);
        }
        return 0;
    }
}
