package org.mqn4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mqn4j.data.BinaryMask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationMetricsTest {
    private static final double EPS = 1e-9;

    @Test
    void handComputedCase() {
        // IoUs 1/2, 7/10, 9/10, 1/4: exactly at the thresholds count as hits
        SegmentationMetrics m = new SegmentationMetrics();
        m.add("a", 1, 2);
        m.add("b", 7, 10);
        m.add("c", 9, 10);
        m.add("d", 1, 4);
        SegmentationMetrics.Scores s = m.scores();
        assertEquals(4, s.n());
        assertEquals(75.0, s.precisionAt50(), EPS);   // a, b, c
        assertEquals(50.0, s.precisionAt70(), EPS);   // b, c
        assertEquals(25.0, s.precisionAt90(), EPS);   // c
        assertEquals(100.0 * 18 / 26, s.overallIoU(), EPS);                 // (1+7+9+1)/(2+10+10+4)
        assertEquals(100.0 * (0.5 + 0.7 + 0.9 + 0.25) / 4, s.meanIoU(), EPS); // 58.75
    }

    @Test
    void emptyUnionScoresZeroAsSpecified() {
        // empty prediction on empty ground truth: U = 0, IoU = 0 (MQN.md 7), and it adds nothing to oIoU
        SegmentationMetrics m = new SegmentationMetrics();
        m.add("empty", 0, 0);
        m.add("half", 5, 10);
        SegmentationMetrics.Scores s = m.scores();
        assertEquals(25.0, s.meanIoU(), EPS);
        assertEquals(50.0, s.overallIoU(), EPS);
        assertEquals(50.0, s.precisionAt50(), EPS);
        SegmentationMetrics only = new SegmentationMetrics();
        only.add("empty", 0, 0);
        assertEquals(0.0, only.scores().meanIoU(), EPS);
        assertEquals(0.0, only.scores().overallIoU(), EPS);
        assertEquals(0.0, only.scores().precisionAt50(), EPS);
    }

    @Test
    void masksGiveIntersectionAndUnion() {
        // pred 1100, gt 0110: I = 1, U = 3
        SegmentationMetrics m = new SegmentationMetrics();
        m.add("x", new BinaryMask(4, 1, new byte[]{1, 1, 0, 0}), new BinaryMask(4, 1, new byte[]{0, 1, 1, 0}));
        assertEquals(1, m.samples().get(0).intersection());
        assertEquals(3, m.samples().get(0).union());
        assertEquals(100.0 / 3, m.scores().meanIoU(), EPS);
        assertThrows(IllegalArgumentException.class, () -> m.add("y", new BinaryMask(1, 1, new byte[]{1}),
                new BinaryMask(2, 1, new byte[]{1, 0})));
        assertThrows(IllegalArgumentException.class, () -> m.add("z", 3, 2));
    }

    @Test
    void tableAndJson() throws Exception {
        SegmentationMetrics m = new SegmentationMetrics();
        m.add("a", 1, 2);
        m.add("b", 3, 3);
        String t = m.table();
        assertTrue(t.startsWith("| P@0.5 | P@0.7 | P@0.9 | oIoU | mIoU | n |\n|---|"), t);
        assertTrue(t.contains("| 100.00 | 50.00 | 50.00 | 80.00 | 75.00 | 2 |"), t);
        JsonNode j = new ObjectMapper().readTree(m.toJsonString(true));
        assertEquals(80.0, j.get("oIoU").asDouble(), EPS);
        assertEquals(75.0, j.get("mIoU").asDouble(), EPS);
        assertEquals(2, j.get("n").asInt());
        assertEquals("b", j.get("samples").get(1).get("id").asText());
        assertEquals(1.0, j.get("samples").get(1).get("iou").asDouble(), EPS);
    }
}
