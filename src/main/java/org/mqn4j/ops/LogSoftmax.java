package org.mqn4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * log softmax along one axis, z − max − log Σ exp(z − max), written with plain ops: M2.1's LogSoftMax op
 * fails to build with an axis. Subtracting the (constant-treated) max only keeps exp finite for large logits.
 */
public final class LogSoftmax {
    private LogSoftmax() {
    }

    public static SDVariable apply(SDVariable z, int axis) {
        SDVariable shifted = z.sub(z.max(true, axis));
        return shifted.sub(z.getSameDiff().math.log(z.getSameDiff().math.exp(shifted).sum(true, axis)));
    }
}
