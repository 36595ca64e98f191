package org.mqn4j.swin;

import org.mqn4j.util.Benchmark;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Times mqn4j's Swin backbone (patch embedding and the four stages, as in MQN; no classifier):
 * forward at one batch size and forward + backward (gradients of every parameter of the loss
 * Σ_i mean(stage_i)) at another, as the median over timed runs after warm-up runs, with the peak
 * memory of each phase. Garbage is collected, untimed, before every run.
 */
public final class SwinBenchmark {
    /** The benchmark's settings and results. */
    public record Result(SwinConfig config, int size, long parameters, int warmup, int runs,
                         int nd4jThreads, String ompThreads, int processors, List<Benchmark.Phase> phases) {
    }

    private SwinBenchmark() {
    }

    /**
     * Runs the benchmark; {@code log} receives progress (stderr). ND4J's "Added differentiated op"
     * chatter while the gradient graph is built is kept off stdout.
     */
    public static Result run(SwinConfig config, int size, int forwardBatch, int backwardBatch, int warmup, int runs,
                             PrintStream log) {
        SameDiff sd = SameDiff.create();
        SwinTransformer swin = SwinTransformer.builder(config, size, size).seed(1).build(sd);
        List<SDVariable> stages = swin.features(swin.input());
        SDVariable loss = null;
        for (SDVariable s : stages) {
            SDVariable m = s.mean();
            loss = loss == null ? m : loss.add(m);
        }
        sd.identity("loss", loss);
        sd.setLossVariables("loss");
        String[] outputs = stages.stream().map(SDVariable::name).toArray(String[]::new);
        List<String> params = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                params.add(v.name());
            }
        }
        long count = SwinTransformer.parameterCount(sd);
        Nd4j.getRandom().setSeed(2);
        List<Benchmark.Phase> phases = new ArrayList<>();

        INDArray x1 = Nd4j.randn(DataType.FLOAT, forwardBatch, 3, size, size);
        phases.add(Benchmark.time("forward", forwardBatch, warmup, runs, log, () -> sd.output(Map.of("input", x1), outputs)));

        INDArray x2 = Nd4j.randn(DataType.FLOAT, backwardBatch, 3, size, size);
        phases.add(org.mqn4j.util.StdoutGuard.toStderr(() -> Benchmark.time("forward+backward", backwardBatch, warmup, runs, log,
                () -> sd.calculateGradients(Map.of("input", x2), params))));
        String omp = System.getenv("OMP_NUM_THREADS");
        return new Result(config, size, count, warmup, runs, Nd4j.getEnvironment().maxThreads(),
                omp == null ? "unset" : omp, Runtime.getRuntime().availableProcessors(), phases);
    }
}
