package org.mqn4j.eval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EvaluatorTest {

    /**
     * Two 2x2 samples. a: p = [0.5, 0.49, 0.9, 0.1] → pred {0, 2}; gt {0, 1} → I = 1, U = 3.
     * b: p all 0.2 → empty; gt empty → I = 0, U = 0 (IoU 0 by definition).
     */
    @Test
    void thresholdAtHalfAgainstHandCounts() {
        SegmentationMetrics m = new SegmentationMetrics();
        float[] p = {0.5f, 0.49f, 0.9f, 0.1f, 0.2f, 0.2f, 0.2f, 0.2f};
        float[] g = {1, 1, 0, 0, 0, 0, 0, 0};
        Evaluator.score(m, List.of("a", "b"), Nd4j.create(p, new long[]{2, 2, 2}, 'c'), Nd4j.create(g, new long[]{2, 1, 2, 2}, 'c'));
        assertEquals(List.of(new SegmentationMetrics.Sample("a", 1, 3), new SegmentationMetrics.Sample("b", 0, 0)), m.samples());
        assertEquals(100.0 / 3, m.scores().overallIoU(), 1e-9);
        assertEquals(100.0 / 6, m.scores().meanIoU(), 1e-9);
    }

    @Test
    void shapeMismatchIsRefused() {
        SegmentationMetrics m = new SegmentationMetrics();
        assertThrows(IllegalArgumentException.class, () -> Evaluator.score(m, List.of("a"),
                Nd4j.zeros(1, 3, 3), Nd4j.zeros(1, 1, 2, 2)));
    }
}
