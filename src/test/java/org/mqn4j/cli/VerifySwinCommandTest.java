package org.mqn4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.io.SafetensorsFile;
import org.mqn4j.io.SafetensorsWriter;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mqn verify swin} on the committed torchvision fixture (tools/swin_fixtures.py, padding
 * case 76x60, window 4), with the weights renamed to timm's scheme, and with one weight spoiled.
 */
class VerifySwinCommandTest {
    @TempDir
    Path dir;

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/swin/w4_76x60");

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    /** The fixture's weights under timm's names (downsampling at the start of the next stage, head.fc). */
    private Path timmWeights(String spoil) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(FIXTURE.resolve("weights.safetensors"))) {
            for (String n : f.names()) {
                String t = n.replace("features.0.0.", "patch_embed.proj.").replace("features.0.2.", "patch_embed.norm.")
                        .replace("head.", "head.fc.").replace(".mlp.0.", ".mlp.fc1.").replace(".mlp.3.", ".mlp.fc2.");
                t = t.replace("features.1.", "layers.0.blocks.").replace("features.3.", "layers.1.blocks.")
                        .replace("features.5.", "layers.2.blocks.").replace("features.7.", "layers.3.blocks.")
                        .replace("features.2.", "layers.1.downsample.").replace("features.4.", "layers.2.downsample.")
                        .replace("features.6.", "layers.3.downsample.");
                INDArray v = f.get(n);
                out.put(t, t.equals(spoil) ? v.mul(1.01) : v);
            }
        }
        Path p = dir.resolve("timm.safetensors");
        SafetensorsWriter.write(p, out, Map.of());
        return p;
    }

    @Test
    void passesWithTimmNamesAndFailsWhenAWeightIsOff() {
        Path io = FIXTURE.resolve("io.safetensors");
        Run ok = run("verify", "swin", "--weights", timmWeights("").toString(), "--io", io.toString());
        assertEquals(0, ok.code, ok.out + ok.err);
        assertTrue(ok.out.contains("naming scheme: TIMM") && ok.out.contains("PASS"), ok.out);
        assertTrue(ok.out.contains("loaded 104 of 104"), ok.out);
        assertTrue(ok.out.contains("head.fc.weight"), "unused head reported: " + ok.out);

        Run bad = run("verify", "swin", "--weights", timmWeights("layers.2.downsample.norm.weight").toString(),
                "--io", io.toString());
        assertEquals(1, bad.code, bad.out + bad.err);
        assertTrue(bad.out.contains("stage1") && bad.out.contains("FAIL"), bad.out);
        String stage1 = bad.out.lines().filter(l -> l.startsWith("stage1")).findFirst().orElseThrow();
        String stage3 = bad.out.lines().filter(l -> l.startsWith("stage3")).findFirst().orElseThrow();
        assertTrue(stage1.endsWith("ok") && stage3.endsWith("FAIL"), "a stage-3 merge weight spoils stage 3 on: " + bad.out);
    }

    /**
     * Window 3 weights run at window 5 with bicubically resized bias tables, against torchvision at
     * window 5 holding tables resized by torch (tools/swin_checkpoint_fixtures.py); without
     * {@code --window} the same reference must fail.
     */
    @Test
    void resizesBiasTablesToTheRequestedWindow() {
        String weights = FIXTURE.resolveSibling("w3_96x96").resolve("weights.safetensors").toString();
        String io = FIXTURE.resolveSibling("w3_to_w5_io.safetensors").toString();
        Run ok = run("verify", "swin", "--weights", weights, "--io", io, "--window", "5");
        assertEquals(0, ok.code, ok.out + ok.err);
        assertTrue(ok.out.contains("resized 7 relative position bias tables (bicubic) from window 3 to 5"), ok.out);
        Run plain = run("verify", "swin", "--weights", weights, "--io", io);
        assertEquals(1, plain.code, plain.out);
    }

    @Test
    void missingFileIsAClearError() {
        Run r = run("verify", "swin", "--weights", dir.resolve("none.safetensors").toString(), "--io", "x");
        assertEquals(1, r.code);
        assertTrue(r.err.contains("error: safetensors file") && r.err.contains("none.safetensors")
                && r.err.contains("does not exist"), r.err);
    }
}
