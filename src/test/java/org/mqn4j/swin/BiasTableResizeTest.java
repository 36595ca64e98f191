package org.mqn4j.swin;

import org.junit.jupiter.api.Test;
import org.mqn4j.io.SafetensorsFile;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against torch's F.interpolate(mode='bicubic') as the official Swin applies it (tools/swin_checkpoint_fixtures.py). */
class BiasTableResizeTest {
    @Test
    void matchesTorchBicubic() throws Exception {
        Path p = Path.of(getClass().getResource("/fixtures/swin/bias_table_resize.safetensors").toURI());
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            INDArray table = f.get("table_w7");
            for (String[] c : new String[][]{{"table_w12", "12"}, {"table_w4", "4"}, {"table_w7_same", "7"}}) {
                INDArray ref = f.get(c[0]);
                INDArray got = BiasTableResize.resize(table, Integer.parseInt(c[1]));
                assertArrayEquals(ref.shape(), got.shape(), c[0]);
                double err = got.sub(ref).amaxNumber().doubleValue();
                assertTrue(err < 2e-6, c[0] + ": max abs error " + err);
            }
            assertEquals(table, BiasTableResize.resize(table, 7), "same window: unchanged");
        }
    }

    @Test
    void windowOf() {
        assertEquals(7, BiasTableResize.windowOf(169));
        assertEquals(12, BiasTableResize.windowOf(529));
        assertEquals(-1, BiasTableResize.windowOf(170));
        assertEquals(-1, BiasTableResize.windowOf(16)); // even side: not 2W-1
    }
}
