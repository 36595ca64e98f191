package org.mqn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.fusion.MqnConfig;
import org.mqn4j.serve.TinyServe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mqn bench model} on a tiny network (speed itself is not asserted: not a unit test): both phases run in
 * worker JVMs and report positive times, images/s and memory in the report file; a phase above the memory limit
 * is killed and reported as not fitting, without failing the command.
 */
class BenchModelCommandTest extends CommandTestBase {

    @Test
    void reportsBothPhasesAndAPhaseThatDoesNotFit(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, TinyServe.config(MqnConfig.Variant.MQN).toYaml() + "train:\n  batch_size: 2\n  learning_rate: 1.0e-3\n");
        Path report = dir.resolve("bench.md");
        assertEquals(0, run("bench", "model", "--config", config.toString(), "--warmup", "0", "--runs", "1",
                "--out", report.toString()), stdout() + err);
        String md = Files.readString(report);
        assertTrue(md.contains("./mqn bench model --config " + config + " --warmup 0 --runs 1 --steps-per-call 4 --threads 1 --out " + report), md);
        assertTrue(md.contains("logical CPUs") && !md.contains("Partial"), md);
        for (String phase : List.of("infer", "train")) {
            String row = md.lines().filter(l -> l.startsWith("| " + config + " | 36x36 |") && l.contains("| " + phase + " | 2 |"))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + phase + " row in\n" + md));
            String[] cells = row.split("\\|");
            assertTrue(Long.parseLong(cells[3].trim().replace(",", "")) > 0, row);   // parameters
            for (int c = 6; c <= 9; c++) {                                           // median ms, images/s, min ms, peak RSS
                assertTrue(Double.parseDouble(cells[c].trim()) > 0, row);
            }
            double ips = 2 * 1000 / Double.parseDouble(cells[6].trim());           // batch / median
            assertEquals(ips, Double.parseDouble(cells[7].trim()), 0.01 * ips + 0.01, row);
        }
        assertTrue(stdout().contains("| infer | 2 |") && stdout().contains("report: " + report), stdout());

        // a training step feeds every label the auxiliary losses take (it failed on the first of them once)
        Path aux = dir.resolve("aux.yaml");
        MqnConfig all = TinyServe.config(MqnConfig.Variant.MQN).toBuilder().titleHeadsWeight(0.1).diceWeight(1).groundingWeight(1)
                .sideOutputWeight(1).visualHeadsWeight(1).build();
        Files.writeString(aux, all.toYaml() + "train:\n  batch_size: 2\n  learning_rate: 1.0e-3\n");
        Path auxReport = dir.resolve("aux.md");
        assertEquals(0, run("bench", "model", "--config", aux.toString(), "--phases", "train", "--warmup", "0", "--runs", "1",
                "--out", auxReport.toString()), stdout() + err);
        String auxMd = Files.readString(auxReport);
        assertTrue(auxMd.lines().anyMatch(l -> l.startsWith("| " + aux + " | 36x36 |") && l.contains("| train | 2 |")
                && !l.contains("–")), auxMd);

        Path small = dir.resolve("small.md");
        assertEquals(0, run("bench", "model", "--config", config.toString(), "--phases", "infer", "--warmup", "0", "--runs", "1",
                "--max-memory-gib", "0.1", "--out", small.toString()), stdout() + err);
        String killed = Files.readString(small);
        assertTrue(killed.contains("| infer | 2 | – | – | – |") && killed.contains("does not fit: killed at")
                && killed.contains("(limit 0.1 GiB)"), killed);
    }
}
