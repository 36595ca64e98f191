package org.mqn4j;

import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.io.SafetensorsWriter;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Loads a saved SameDiff model in a fresh JVM, with none of the builder code run, and returns its
 * outputs and gradients for given placeholders: the check that a saved model is self-contained.
 * Results come back as {@code out/<name>} and {@code grad/<name>}.
 */
public final class NewJvm {
    private NewJvm() {
    }

    public static Map<String, INDArray> run(Path model, Map<String, INDArray> placeholders, List<String> outputs,
                                            List<String> gradients, Path dir) throws Exception {
        Path in = dir.resolve("placeholders.safetensors");
        Path out = dir.resolve("child-out.safetensors");
        Path log = dir.resolve("child.log");
        SafetensorsWriter.write(in, placeholders, Map.of());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), NewJvm.class.getName(),
                model.toString(), in.toString(), out.toString(), String.join(",", outputs), String.join(",", gradients))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM timed out");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new AssertionError("child JVM failed:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        Map<String, INDArray> result = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            for (String name : f.names()) {
                result.put(name, f.get(name).dup());
            }
        }
        return result;
    }

    /** Child side. Arguments: model.sd placeholders.safetensors out.safetensors outputs,comma grads,comma */
    public static void main(String[] args) throws Exception {
        SameDiff sd = SameDiff.load(Path.of(args[0]).toFile(), false);
        Map<String, INDArray> ph = new HashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(Path.of(args[1]))) {
            for (String name : f.names()) {
                ph.put(name, f.get(name).dup());
            }
        }
        Map<String, INDArray> result = new LinkedHashMap<>();
        sd.output(ph, args[3].split(",")).forEach((k, v) -> result.put("out/" + k, v));
        if (args.length > 4 && !args[4].isEmpty()) {
            sd.calculateGradients(ph, Arrays.asList(args[4].split(","))).forEach((k, v) -> result.put("grad/" + k, v));
        }
        SafetensorsWriter.write(Path.of(args[2]), result, Map.of());
    }
}
