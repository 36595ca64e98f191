package org.mqn4j.text;

import org.mqn4j.ops.Params;
import org.mqn4j.util.Benchmark;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the text encoder (random weights): forward at one batch size and forward + backward
 * (gradients of every parameter of the loss mean(last_hidden_state)) at another, for each title
 * length, with every token valid. The same work as {@code tools/bench_text.py} does in torch.
 */
public final class TextBenchmark {

    /** The settings and the phases, named "forward T=20", "forward+backward T=20", .... */
    public record Result(TextConfig config, long parameters, int warmup, int runs, int nd4jThreads,
                         String ompThreads, int processors, List<Benchmark.Phase> phases) {
    }

    private TextBenchmark() {
    }

    public static Result run(TextConfig config, int[] lengths, int forwardBatch, int backwardBatch, int warmup, int runs,
                             PrintStream log) {
        List<Benchmark.Phase> phases = new ArrayList<>();
        long parameters = 0;
        for (int t : lengths) {
            SameDiff sd = SameDiff.create();
            new TextEncoder(config, t).build(new Params(sd, DataType.FLOAT, 1));
            sd.setLossVariables(sd.identity("loss", sd.getVariable("last_hidden_state").mean()));
            List<String> params = new ArrayList<>();
            parameters = 0;
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    params.add(v.name());
                    parameters += v.getArr().length();
                }
            }
            Map<String, INDArray> in1 = inputs(config, forwardBatch, t);
            Map<String, INDArray> in2 = inputs(config, backwardBatch, t);
            phases.add(Benchmark.time("forward T=" + t, forwardBatch, warmup, runs, log,
                    () -> sd.output(in1, "last_hidden_state")));
            phases.add(org.mqn4j.util.StdoutGuard.toStderr(() -> Benchmark.time("forward+backward T=" + t, backwardBatch, warmup, runs, log,
                    () -> sd.calculateGradients(in2, params))));
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        return new Result(config, parameters, warmup, runs, Nd4j.getEnvironment().maxThreads(),
                omp == null ? "unset" : omp, Runtime.getRuntime().availableProcessors(), phases);
    }

    private static Map<String, INDArray> inputs(TextConfig config, int batch, int length) {
        Map<String, INDArray> in = new HashMap<>();
        // Ids above the special tokens, never the pad id, so every position is a real token.
        java.util.Random random = new java.util.Random(2);
        long[][] ids = new long[batch][length];
        for (long[] row : ids) {
            for (int j = 0; j < length; j++) {
                row[j] = 200 + random.nextInt(config.vocabSize() - 200);
            }
        }
        in.put("input_ids", Nd4j.createFromArray(ids));
        in.put("attention_mask", Nd4j.ones(DataType.INT64, batch, length));
        if (config.typeVocabSize() > 1) {
            in.put("token_type_ids", Nd4j.zeros(DataType.INT64, batch, length));
        }
        return in;
    }
}
