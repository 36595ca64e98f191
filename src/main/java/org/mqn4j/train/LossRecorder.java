package org.mqn4j.train;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Records the value of the loss variable as the training step computes it (on the weights before
 * the update). Needed because the listener's {@code Loss} and the {@code History} of a fit do not
 * hold the real loss in M2.1 (SAMEDIFF-NOTES).
 */
final class LossRecorder extends BaseListener {
    private final String lossName;
    private double last = Double.NaN;
    private boolean seen;

    LossRecorder(String lossName) {
        this.lossName = lossName;
    }

    /** Forgets the last value (call before a step). */
    void clear() {
        last = Double.NaN;
        seen = false;
    }

    /** The loss of the last step. */
    double last() {
        if (!seen) {
            throw new IllegalStateException("the training step did not compute the loss variable " + lossName);
        }
        return last;
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return ListenerVariables.builder().trainingVariables(lossName).build();
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                                    INDArray activation) {
        if (varName.equals(lossName)) {
            last = activation.getDouble(0);
            seen = true;
        }
    }
}
