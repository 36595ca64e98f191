package org.mqn4j.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate at optimisation step t (counted from 0 over the whole run), as an ND4J
 * {@link ISchedule} for the Adam updater and for the decoupled weight decay:
 * <pre>
 *   t &lt; warmup:        base · (t + 1) / warmup                      linear warm-up
 *   constant:          base
 *   poly:              base · (1 − (t − warmup) / (total − warmup))^power,  0 from t = total on
 * </pre>
 * Poly is LAVT's {@code (1 − x / total)^0.9} when there is no warm-up. Saved with the graph
 * (ND4J's JSON), so the fields carry Jackson annotations.
 */
public final class LearningRateSchedule implements ISchedule {
    private final double base;
    private final int warmupSteps;
    private final long totalSteps;
    private final double power;

    /**
     * @param totalSteps steps of the whole run for poly; 0 for a constant rate after the warm-up
     */
    @JsonCreator
    public LearningRateSchedule(@JsonProperty("base") double base, @JsonProperty("warmupSteps") int warmupSteps,
                                @JsonProperty("totalSteps") long totalSteps, @JsonProperty("power") double power) {
        this.base = base;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.power = power;
    }

    /** The schedule a training configuration asks for, over {@code totalSteps} steps. */
    public static LearningRateSchedule of(TrainConfig cfg, long totalSteps) {
        return new LearningRateSchedule(cfg.learningRate(), cfg.warmupSteps(),
                cfg.schedule() == TrainConfig.Schedule.POLY ? totalSteps : 0, cfg.power());
    }

    /** The learning rate of step {@code step}. */
    public double at(long step) {
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        if (totalSteps <= 0) {
            return base;
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        double x = 1 - (step - warmupSteps) / span;
        return x <= 0 ? 0 : base * Math.pow(x, power);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return at(iteration);
    }

    @JsonProperty("base")
    public double base() {
        return base;
    }

    @JsonProperty("warmupSteps")
    public int warmupSteps() {
        return warmupSteps;
    }

    @JsonProperty("totalSteps")
    public long totalSteps() {
        return totalSteps;
    }

    @JsonProperty("power")
    public double power() {
        return power;
    }

    @Override
    public ISchedule clone() {
        return new LearningRateSchedule(base, warmupSteps, totalSteps, power);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearningRateSchedule s && s.base == base && s.warmupSteps == warmupSteps
                && s.totalSteps == totalSteps && s.power == power;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(base) * 31 + Long.hashCode(totalSteps) + warmupSteps;
    }

    @Override
    public String toString() {
        return "LearningRateSchedule(base=" + base + ", warmup=" + warmupSteps + ", total=" + totalSteps + ", power=" + power + ")";
    }
}
