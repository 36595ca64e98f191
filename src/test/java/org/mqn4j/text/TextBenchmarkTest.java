package org.mqn4j.text;

import org.junit.jupiter.api.Test;
import org.mqn4j.util.Benchmark;

import java.io.PrintStream;
import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark runs its phases on a tiny encoder (what it measures is not asserted: speed is not a unit test). */
class TextBenchmarkTest {
    @Test
    void runsEveryPhaseAndCountsParameters() {
        TextConfig cfg = TextConfig.builder().hiddenSize(8).numAttentionHeads(2).numHiddenLayers(1).intermediateSize(16)
                .vocabSize(300).maxPositionEmbeddings(16).build();
        TextBenchmark.Result r = TextBenchmark.run(cfg, new int[]{4, 9}, 1, 2, 0, 1, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(4, r.phases().size());
        assertEquals("forward+backward T=9", r.phases().get(3).name());
        // word 300·8 + position 16·8 + type 2·8 + LN 16 + layer (4·(8·8+8) + 16 + 8·16+16 + 16·8+8 + 16)
        assertEquals(2400 + 128 + 16 + 16 + (288 + 16 + 144 + 136 + 16), r.parameters());
        for (Benchmark.Phase p : r.phases()) {
            assertTrue(p.medianMs() > 0 && p.runsMs().length == 1, p.name());
        }
    }
}
