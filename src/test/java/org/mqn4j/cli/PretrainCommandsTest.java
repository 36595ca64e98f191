package org.mqn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.pretrain.TitleCorpus;
import org.mqn4j.pretrain.TitleRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mqn synth-corpus} and {@code mqn pretrain-text} end to end on a few titles. */
class PretrainCommandsTest extends CommandTestBase {

    @Test
    void synthCorpusThenPretrain(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("titles.jsonl");
        assertEquals(0, run("synth-corpus", "--out", corpus.toString(), "--n", "60", "--seed", "2"), err.toString());
        List<TitleRecord> records = TitleCorpus.read(corpus);
        assertEquals(60, records.size());
        assertTrue(stdout().contains("wrote 60 titles"), stdout());
        assertEquals(1, run("synth-corpus", "--out", corpus.toString(), "--n", "5"), "refuses to overwrite");
        assertTrue(err.toString().contains("--force"), err.toString());

        String model = Files.readString(Path.of("conf/pretrain_tiny.yaml"), StandardCharsets.UTF_8);
        String yaml = model.substring(0, model.indexOf("\npretrain:") + 1)
                .replace("max_title_length: 64", "max_title_length: 24")
                + "pretrain:\n  batch_size: 4\n  max_steps: 3\n  eval_every: 2\n  warmup_steps: 0\n  held_out_fraction: 0.1\n";
        Path conf = dir.resolve("p.yaml");
        Files.writeString(conf, yaml, StandardCharsets.UTF_8);
        Path out = dir.resolve("run");
        assertEquals(0, run("pretrain-text", "--corpus", corpus.toString(), "--config", conf.toString(), "--out",
                out.toString(), "--no-progress"), err.toString());
        assertTrue(stdout().contains("step 2 ") && stdout().contains("step 3 "), stdout());
        assertTrue(stdout().contains("masked-token acc") && stdout().contains("color acc") && stdout().contains("category acc"));
        assertTrue(Files.isRegularFile(out.resolve("text_encoder.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("config.yaml")));

        assertEquals(1, run("pretrain-text", "--corpus", corpus.toString(), "--config", conf.toString(), "--out",
                out.toString(), "--no-progress"), "refuses to overwrite a run");
        assertTrue(err.toString().contains("already holds"), err.toString());

        Files.writeString(conf, yaml + "  mask_prob: 0.2\n", StandardCharsets.UTF_8);
        assertEquals(1, run("pretrain-text", "--corpus", corpus.toString(), "--config", conf.toString(), "--out",
                dir.resolve("run2").toString()));
        assertTrue(err.toString().contains("unknown key pretrain.mask_prob"), err.toString());
    }
}
