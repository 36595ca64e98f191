package org.mqn4j.train;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * Gives every op of a training step random-generator states that are a function of (seed, step,
 * op name), so dropout and stochastic depth draw the same masks at the same step whether a run was
 * interrupted or not. Needed because SameDiff M2.1 hands ops states from a native generator that
 * {@code Nd4j.getRandom().setSeed} does not reach (measured: the same seed gave different draws).
 */
final class RandomOpSeeder extends BaseListener {
    private long stepSeed;

    /** Sets the seed for the next step. */
    void seed(long stepSeed) {
        this.stepSeed = stepSeed;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        if (ctx != null) {
            long h = AdamWStep.stepSeed(stepSeed, op.getName().hashCode());
            // the native generator wants positive states
            ctx.setRngStates(h >>> 1 | 1, AdamWStep.stepSeed(h, 1) >>> 1 | 1);
        }
    }
}
