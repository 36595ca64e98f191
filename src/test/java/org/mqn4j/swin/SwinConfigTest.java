package org.mqn4j.swin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mqn4j.util.MqnException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwinConfigTest {
    private static final Path CONF = Path.of("conf");

    @Test
    void confFilesMatchTorchvisionVariants() {
        assertEquals(SwinConfig.swinT(), SwinConfig.load(CONF.resolve("swin_t.yaml")));
        assertEquals(SwinConfig.swinS(), SwinConfig.load(CONF.resolve("swin_s.yaml")));
        assertEquals(SwinConfig.swinB(7), SwinConfig.load(CONF.resolve("swin_b.yaml")));
        SwinConfig b12 = SwinConfig.load(CONF.resolve("swin_b_w12.yaml"));
        assertEquals(12, b12.windowSize());
        assertEquals(128, b12.embedDim());
        SwinConfig tiny = SwinConfig.load(CONF.resolve("swin_tiny_test.yaml"));
        assertEquals(32, tiny.embedDim());
        assertEquals(4, tiny.numStages());
    }

    @Test
    void missingKeysTakeDefaultsAndUnknownKeysFail(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "embed_dim: 16\ndepths: [1, 1]\nnum_heads: [1, 2]\n");
        SwinConfig c = SwinConfig.load(f);
        assertEquals(16, c.embedDim());
        assertEquals(7, c.windowSize());
        assertEquals(1e-5, c.layerNormEps());

        Files.writeString(f, "window: 7\n");
        MqnException e = assertThrows(MqnException.class, () -> SwinConfig.load(f));
        assertTrue(e.getMessage().contains("c.yaml") && e.getMessage().contains("window"), e.getMessage());

        Files.writeString(f, "embed_dim: 10\nnum_heads: [3, 6, 12, 24]\n");
        e = assertThrows(MqnException.class, () -> SwinConfig.load(f));
        assertTrue(e.getMessage().contains("c.yaml") && e.getMessage().contains("divisible"), e.getMessage());

        MqnException missing = assertThrows(MqnException.class, () -> SwinConfig.load(dir.resolve("none.yaml")));
        assertTrue(missing.getMessage().contains("none.yaml"), missing.getMessage());
    }
}
