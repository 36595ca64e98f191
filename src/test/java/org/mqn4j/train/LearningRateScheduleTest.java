package org.mqn4j.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LearningRateScheduleTest {

    @Test
    void constantWithoutWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 0, 0, 0.9);
        for (int t : new int[]{0, 1, 100, 1_000_000}) {
            assertEquals(1e-3, s.at(t), 0);
        }
    }

    @Test
    void linearWarmupThenConstant() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 4, 0, 0.9);
        assertEquals(0.25e-3, s.at(0), 1e-15);
        assertEquals(0.50e-3, s.at(1), 1e-15);
        assertEquals(0.75e-3, s.at(2), 1e-15);
        assertEquals(1e-3, s.at(3), 1e-15);
        assertEquals(1e-3, s.at(50), 0);
    }

    /** Hand values of base·(1 − x/total)^0.9 (LAVT's lambda), and with warm-up over the rest. */
    @Test
    void polyAgainstTheFormula() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 0, 20, 0.9);
        assertEquals(1e-3, s.at(0), 1e-15);
        assertEquals(1e-3 * 0.5358867312681466, s.at(10), 1e-15);      // 0.5^0.9
        assertEquals(1e-3 * 0.06746414238367822, s.at(19), 1e-15);     // 0.05^0.9
        assertEquals(0, s.at(20), 0);
        assertEquals(0, s.at(30), 0);
        LearningRateSchedule w = new LearningRateSchedule(2e-3, 4, 20, 0.9);
        assertEquals(0.5e-3, w.at(0), 1e-15);
        assertEquals(2e-3, w.at(4), 1e-15);                             // warm-up done, poly at x = 0
        assertEquals(2e-3 * 0.5358867312681466, w.at(12), 1e-15);      // (1 − 8/16)^0.9
        assertEquals(s.at(7), s.valueAt(7, 3), 0);
    }

    @Test
    void fromConfig() {
        TrainConfig poly = TrainConfig.builder().learningRate(1e-3).schedule(TrainConfig.Schedule.POLY).warmupSteps(2).build();
        assertEquals(new LearningRateSchedule(1e-3, 2, 100, 0.9), LearningRateSchedule.of(poly, 100));
        TrainConfig constant = poly.toBuilder().schedule(TrainConfig.Schedule.CONSTANT).build();
        assertEquals(1e-3, LearningRateSchedule.of(constant, 100).at(99), 0);
    }
}
