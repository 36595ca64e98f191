package org.mqn4j.cli;

import org.mqn4j.swin.SwinVerify;
import org.mqn4j.util.TensorDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mqn verify swin}: runs mqn4j's Swin with converted weights and compares the stage outputs. */
@Command(name = "swin", mixinStandardHelpOptions = true,
        description = {"Load Swin weights (torchvision, official/LAVT or timm names; architecture inferred "
                + "from the shapes), run mqn4j's Swin on IO's 'input' [B,3,H,W] and compare each stage with "
                + "'stage1'..'stage4' [B,H_i,W_i,C_i].",
                "Exits with 1 when a stage's relative error exceeds the tolerance."})
public final class VerifySwinCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, paramLabel = "W.safetensors", description = "The Swin checkpoint.")
    Path weights;

    @Option(names = "--io", required = true, paramLabel = "IO.safetensors",
            description = "Reference tensors: input, stage1..stage4.")
    Path io;

    @Option(names = "--window", defaultValue = "0", paramLabel = "N",
            description = "Window size of the graph (default: the checkpoint's); bias tables are resized bicubically.")
    int window;

    @Option(names = "--tolerance", defaultValue = "1e-4", paramLabel = "REL",
            description = "Largest relative error ||out-ref||/||ref|| that passes (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() {
        System.err.println("verify swin: loading " + weights + " and running on " + io + " ...");
        long t0 = System.nanoTime();
        SwinVerify.Result r = SwinVerify.run(weights, io, window);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(r.report().describe(8));
        System.out.printf(Locale.ROOT, "input %d x 3 x %d x %d (%.1f s)%n", r.batch(), r.height(), r.width(), seconds);
        System.out.printf(Locale.ROOT, "%-8s %14s %14s  %s%n", "stage", "max |out-ref|", "rel error", "");
        for (TensorDiff d : r.stages()) {
            System.out.printf(Locale.ROOT, "%-8s %14.3e %14.3e  %s%n", d.name(), d.maxAbs(), d.relative(),
                    d.within(tolerance) ? "ok" : "FAIL");
        }
        boolean pass = r.passes(tolerance);
        System.out.printf(Locale.ROOT, "%s (tolerance %.1e relative)%n", pass ? "PASS" : "FAIL", tolerance);
        return pass ? 0 : 1;
    }
}
