package org.mqn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mqn4j.data.BadRecordPolicy;
import org.mqn4j.eval.ModelEvaluation;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.serve.ExportedModel;
import org.mqn4j.serve.MqnSegmenter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One model variant trained by {@code mqn train} in a child JVM with one ND4J thread (how {@code mqn demo}
 * and {@code mqn ablate} train models side by side on two cores), and its evaluation on the test split with
 * the weights of its best validation epoch.
 *
 * @param config the run's config file (written with {@link #configYaml})
 * @param run    the run directory ({@code mqn train --out})
 * @param log    the child's stdout and stderr
 */
record VariantRun(Path config, Path run, Path log) {

    /**
     * The config of a run: the YAML of {@code base} with its {@code model:} section replaced by {@code model}
     * and the given {@code train:} keys set (e.g. {@code time_budget_minutes}).
     */
    static String configYaml(Path base, MqnConfig model, Map<String, ?> train) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode root = (ObjectNode) yaml.readTree(base.toFile());
        root.set("model", model.toTree());
        ObjectNode t = root.get("train") instanceof ObjectNode o ? o : root.putObject("train");
        train.forEach((k, v) -> t.set(k, yaml.valueToTree(v)));
        return yaml.writeValueAsString(root);
    }

    /**
     * Starts {@code mqn train --config config --data data --out run --no-progress [--resume]} in a new JVM
     * (same classpath, a 3 GB heap and a 9 GB cap on ND4J's off-heap memory, OMP_NUM_THREADS=1), output to the log; the child is killed if this JVM exits.
     */
    Process start(Path data, boolean resume) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=6g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=9g", "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train", "--config", config.toString(), "--data", data.toString(), "--out", run.toString(),
                "--no-progress"));
        if (resume) {
            cmd.add("--resume");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(resume ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return p;
    }

    /**
     * Prints the child's epoch summaries (and its time-budget note) written to the log since byte {@code offset}
     * to stderr, each prefixed by {@code name}; returns the offset after the last whole line read.
     */
    long relayProgress(long offset, String name) {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(offset, Files.size(log)));
            byte[] b = in.readAllBytes();
            int end = b.length - 1;
            while (end >= 0 && b[end] != '\n') {
                end--;
            }
            if (end < 0) {
                return offset;
            }
            for (String line : new String(b, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("epoch ") || line.contains("budget of")) {
                    System.err.println("   " + name + ": " + line.strip());
                }
            }
            return offset + end + 1;
        } catch (IOException e) {
            return offset;   // the log is not there yet
        }
    }

    /** The weights of the best validation epoch ({@code best.sd}), else the final ones: model selection on val, never on test. */
    static Path selected(Path run) {
        Path best = run.resolve("best.sd");
        return Files.exists(best) ? best : run;
    }

    /** Evaluates a model on the test split of {@code data}; metrics, samples and {@code overlays} best/worst overlays into {@code dir}. */
    static ModelEvaluation.Result evaluate(ExportedModel model, Path data, Path dir, int overlays) {
        return new ModelEvaluation(MqnSegmenter.of(model)).run(data, "test",
                new ModelEvaluation.Options(16, dir, null, overlays, BadRecordPolicy.FAIL, true));
    }
}
