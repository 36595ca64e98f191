package org.mqn4j.fusion;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.HashMap;
import java.util.Map;

/** Wall time per op type (manual profiling helper for MqnSpeed). */
final class OpTimes extends BaseListener {
    private final Map<String, long[]> byType = new HashMap<>();
    private long start;
    private long total;
    private long stepStart;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
        stepStart = System.nanoTime();
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, org.nd4j.autodiff.listeners.Loss loss) {
        total += System.nanoTime() - stepStart;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, org.nd4j.linalg.api.ops.OpContext opContext) {
        start = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, org.nd4j.linalg.api.ops.OpContext opContext, INDArray[] outputs) {
        long[] e = byType.computeIfAbsent((op.getOp().opName().startsWith("conv2d") || op.getOp().opName().equals(System.getProperty("opname"))) ? op.getOp().opName() + " " + op.getName() + " " + (outputs.length > 0 && outputs[0] != null ? java.util.Arrays.toString(outputs[0].shape()) : "") : op.getOp().opName(), k -> new long[2]);
        e[0] += System.nanoTime() - start;
        e[1]++;
    }

    void print(int steps) {
        long sum = byType.values().stream().mapToLong(e -> e[0]).sum();
        long count = byType.values().stream().mapToLong(e -> e[1]).sum();
        System.out.printf("per step: %d ops, in-op time %.3f s of %.3f s%n", count / steps, sum / 1e9 / steps, total / 1e9 / steps);
        byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(25)
                .forEach(e -> System.out.printf("  %-28s %6d ops %8.1f ms%n", e.getKey(), e.getValue()[1] / steps, e.getValue()[0] / 1e6 / steps));
    }
}
